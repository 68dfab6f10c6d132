"""Body paragraphs written for the unit tests: plain prose, one complete paragraph each."""

P1 = (
    "The regional government approved a new water plan on Monday after months of drought left "
    "reservoirs at record lows across the south of the country."
)
P2 = (
    "Officials said the plan would fund new pipelines, repair old ones and pay farmers who agree "
    "to use less water during the hottest months of the year."
)
P3 = (
    "Engineers expect the first new pipeline to open next spring, although the contractors have "
    "warned that steel prices could delay the work by several months."
)
