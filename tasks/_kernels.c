/* The two inner loops of language detection, in C (loaded with ctypes by tasks/kernels.py).
 *
 * newsprep_trials: langdetect's random trials (Detector._detect_block) on one text, reading the fixed random
 * stream that tasks/fastdetect.py computes with Python's own generator. Every float operation is the one the
 * Python trials do, in the same order: built with -ffp-contract=off and without -ffast-math, so no multiply-add
 * is fused and no sum reassociated, and the probabilities are the Python trials' bit for bit
 * (tests/tasks/test_fastdetect.py).
 *
 * newsprep_walk: py3langid's automaton walk (visit_counts), returning the features in the order first met
 * with their counts, as Counter gives them to py3langid (tests/tasks/test_fastlangid.py).
 */
#include <math.h>
#include <stdint.h>

#ifdef _MSC_VER
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif

/* Drawn index below n from the stream (random.choice: top k bits of a word, redrawn while >= n); -1 when the
 * precomputed stream is exhausted. */
static int64_t draw(const uint32_t *words, int64_t end, int64_t *pos, int shift, int64_t n) {
    for (;;) {
        if (*pos >= end) return -1;
        int64_t r = (int64_t)(words[*pos] >> shift);
        *pos += 1;
        if (r < n) return r;
    }
}

EXPORT int newsprep_trials(const int32_t *rows, int64_t n, const double *matrix, int64_t count,
                           const uint32_t *words, int64_t end, const double *gauss, const double *kept,
                           int64_t n_trial, double alpha0, double alpha_width, double base_freq,
                           double threshold, int64_t limit, int compensated, double *langprob, double *prob) {
    int k = 0;
    while (k < 63 && ((int64_t)1 << k) <= n) k++; /* n.bit_length() */
    if (k > 32) return 0;
    int shift = 32 - k;
    int64_t pos = 0;
    int have_kept = 0;
    double kept_value = 0.0;
    for (int64_t t = 0; t < n_trial; t++) {
        double z;
        if (have_kept) {
            z = kept_value;
            have_kept = 0;
        } else {
            if (pos + 4 > end) return 0;
            z = gauss[pos];
            kept_value = kept[pos];
            have_kept = 1;
            pos += 4;
        }
        double alpha = alpha0 + z * alpha_width;
        double w = alpha / base_freq;
        double start = 1.0 / (double)count;
        for (int64_t j = 0; j < count; j++) prob[j] = start;
        int64_t r = draw(words, end, &pos, shift, n);
        if (r < 0) return 0;
        const double *q = matrix + (int64_t)rows[r] * count;
        for (int64_t j = 0; j < count; j++) prob[j] = prob[j] * (w + q[j]);
        int64_t i = 0;
        for (;;) {
            double total = 0.0;
            if (compensated) { /* Python >= 3.12 sum(): Neumaier's compensated sum */
                double c = 0.0;
                for (int64_t j = 0; j < count; j++) {
                    double x = prob[j];
                    double s = total + x;
                    if (fabs(total) >= fabs(x)) c += (total - s) + x;
                    else c += (x - s) + total;
                    total = s;
                }
                if (c != 0.0 && isfinite(c)) total += c;
            } else {
                for (int64_t j = 0; j < count; j++) total += prob[j];
            }
            double best = -INFINITY;
            for (int64_t j = 0; j < count; j++) {
                double p = prob[j] / total;
                prob[j] = p;
                if (p > best) best = p;
            }
            if (best > threshold || i >= limit) break;
            for (int d = 0; d < 5; d++) {
                r = draw(words, end, &pos, shift, n);
                if (r < 0) return 0;
                q = matrix + (int64_t)rows[r] * count;
                for (int64_t j = 0; j < count; j++) prob[j] = prob[j] * (w + q[j]);
            }
            i += 5;
        }
        for (int64_t j = 0; j < count; j++) langprob[j] += prob[j] / (double)n_trial;
    }
    return 1;
}

EXPORT int64_t newsprep_walk(const uint32_t *nextmove, const int64_t *rowbase, const int64_t *output,
                             const uint8_t *data, int64_t len, int64_t *seen, int64_t *idx, float *counts) {
    int64_t state = 0, found = 0;
    for (int64_t b = 0; b < len; b++) {
        state = nextmove[rowbase[state] + data[b]];
        int64_t feature = output[state];
        if (feature >= 0) {
            int64_t at = seen[feature];
            if (at < 0) {
                seen[feature] = found;
                idx[found] = feature;
                counts[found] = 1.0f;
                found++;
            } else {
                counts[at] += 1.0f;
            }
        }
    }
    for (int64_t i = 0; i < found; i++) seen[idx[i]] = -1;
    return found;
}

/* datasketch's MinHash update for the affine32 scheme (tasks/dedup.py signature): murmur3's 32-bit finalizer of
 * each value's low 32 bits, then per permutation the minimum of a*h + b wrapping at 2**32. Integer arithmetic:
 * the same values as datasketch's numpy code (tests/tasks/test_dedup.py). */
EXPORT void newsprep_minhash(const uint64_t *values, int64_t n, const uint32_t *a, const uint32_t *b, int64_t m,
                             uint32_t *out) {
    for (int64_t j = 0; j < m; j++) out[j] = 0xFFFFFFFFu;
    for (int64_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)values[i];
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        for (int64_t j = 0; j < m; j++) {
            uint32_t v = a[j] * h + b[j];
            out[j] = v < out[j] ? v : out[j]; /* branch-free: the loop vectorizes */
        }
    }
}
