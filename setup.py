"""The C kernels of language detection (tasks/_kernels.c), built at install time; everything else is in
pyproject.toml. The extension is optional: without a C compiler the install goes on and tasks/kernels.py falls
back to the same loops in Python (same answers, slower)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "tasks._kernels",
            ["tasks/_kernels.c"],
            # No fused multiply-add, no reassociation: the kernels must do langdetect's float operations exactly.
            extra_compile_args=["-O3", "-ffp-contract=off", "-fno-fast-math"],
            optional=True,
        )
    ]
)
