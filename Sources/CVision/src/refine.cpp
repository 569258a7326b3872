// Edge refinement: the network's low-resolution map becomes full-resolution alpha through a fast
// guided filter guided by the photo, so edges follow the real boundary and thin or fuzzy parts get
// partial alpha from their colour. Only small maps are held; the full-size pass works row by row.
#include "CVision.h"
#include "guided.hpp"
#include "resample.hpp"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace cvision;

namespace {

struct RefineParameters {
    float radius_in_coarse_pixels;  // guided filter window, in units of the network's pixels
    float band_in_coarse_pixels;    // unknown band grown around the network's own transition
    float eps;                      // guided filter regularisation (guide in 0..1)
    float ramp_low, ramp_high;      // final clean ramp: below low → 0, above high → 1
    int working_side;               // long side of the subsampled guide
};

RefineParameters parameters_for(int strength) {
    RefineParameters p;
    if (strength >= 2) p = {2.5f, 3.0f, 2e-4f, 0.05f, 0.95f, 1024};
    else p = {1.5f, 1.0f, 4e-4f, 0.15f, 0.85f, 1024};
    return p;
}

inline uint8_t ramp(float q, float low, float inverse_span) {
    const float t = (q - low) * inverse_span;
    return t <= 0 ? 0 : t >= 1 ? 255 : uint8_t(t * 255.0f + 0.5f);
}

/// Weight (0..1) of "the network is sure here": 1 deep inside its confident regions, 0 in the
/// transition band grown by `band` pixels, smooth in between.
cv::Mat known_weight(const cv::Mat &probability, float threshold_low, float threshold_high, int band,
                     cv::Mat &target) {
    cv::Mat foreground = probability > threshold_high, background = probability < threshold_low;
    if (band > 0) {
        const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * band + 1, 2 * band + 1));
        cv::erode(foreground, foreground, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
        cv::erode(background, background, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    }
    cv::Mat weight, known = foreground | background;
    known.convertTo(weight, CV_32F, 1.0 / 255);
    foreground.convertTo(target, CV_32F, 1.0 / 255);
    const int smooth = std::max(1, band / 2);
    cv::blur(weight, weight, cv::Size(2 * smooth + 1, 2 * smooth + 1), cv::Point(-1, -1), cv::BORDER_REPLICATE);
    return weight;
}

}  // namespace

extern "C" int cvision_refine_alpha(const uint8_t *rgb, int width, int height, size_t stride, const float *coarse,
                                    int coarse_w, int coarse_h, int strength, uint8_t *alpha_out,
                                    cvision_status *status) {
    return guarded(status, "refining the mask", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(coarse != nullptr && coarse_w > 0 && coarse_h > 0, "expected a coarse mask and its size");
        require(alpha_out != nullptr, "expected an alpha buffer but got NULL");
        require(strength >= 0 && strength <= 2, "expected a strength of 0, 1 or 2");
        const RefineParameters parameters = parameters_for(strength);

        cv::Mat coarse_map(coarse_h, coarse_w, CV_32F, const_cast<float *>(coarse));
        const cv::Size low_size = working_size(width, height, parameters.working_side);
        cv::Mat probability;
        cv::resize(coarse_map, probability, low_size, 0, 0, cv::INTER_LINEAR);
        cv::min(cv::max(probability, 0.0), 1.0, probability);

        // Coefficients q = a·I + b at low resolution; strength 0 is the plain upsample (a = 0, b = p).
        cv::Mat coefficients;
        if (strength == 0) {
            cv::Mat zero = cv::Mat::zeros(low_size, CV_32F);
            cv::merge(std::vector<cv::Mat>{zero, zero, zero, probability}, coefficients);
        } else {
            cv::Mat guide;
            area_resize(image, guide, low_size);
            guide.convertTo(guide, CV_32FC3, 1.0 / 255);
            const float unit = std::max(float(low_size.width) / coarse_w, float(low_size.height) / coarse_h);
            const int radius = std::max(2, int(std::lround(parameters.radius_in_coarse_pixels * unit)));
            const int band = std::max(1, int(std::lround(parameters.band_in_coarse_pixels * unit)));
            coefficients = guided_filter_coefficients(guide, probability, radius, parameters.eps);

            // Where the network is sure and far from any edge, keep its answer: the filter can only
            // add noise there (texture in a busy background, print on the product).
            cv::Mat target;
            cv::Mat weight = known_weight(probability, 0.03f, 0.97f, band, target);
            for (int y = 0; y < low_size.height; ++y) {
                float *c = coefficients.ptr<float>(y);
                const float *w = weight.ptr<float>(y), *t = target.ptr<float>(y);
                for (int x = 0; x < low_size.width; ++x) {
                    if (w[x] >= 0.999f) {  // sure: exactly the network's answer (and a fast path below)
                        c[4 * x + 0] = c[4 * x + 1] = c[4 * x + 2] = 0;
                        c[4 * x + 3] = t[x];
                        continue;
                    }
                    const float keep = 1.0f - w[x];
                    c[4 * x + 0] *= keep;
                    c[4 * x + 1] *= keep;
                    c[4 * x + 2] *= keep;
                    c[4 * x + 3] = c[4 * x + 3] * keep + w[x] * t[x];
                }
            }
        }

        // Per coarse pixel: 0 or 255 where the coefficients are exactly (0, 0, 0, 0) or (0, 0, 0, 1),
        // so a full-resolution pixel whose four taps agree takes that value without interpolating.
        cv::Mat sure(low_size, CV_8U);
        for (int y = 0; y < low_size.height; ++y) {
            const float *c = coefficients.ptr<float>(y);
            uint8_t *s = sure.ptr<uint8_t>(y);
            for (int x = 0; x < low_size.width; ++x) {
                const float *k = c + 4 * x;
                const bool flat = k[0] == 0 && k[1] == 0 && k[2] == 0;
                s[x] = flat && k[3] == 0 ? 0 : flat && k[3] == 1 ? 255 : 1;
            }
        }
        // Full resolution, a band of rows per task: upsample (a, b), apply to the photo, ramp.
        const LinearTaps columns(low_size.width, width), rows(low_size.height, height);
        const float low = parameters.ramp_low, inverse_span = 1.0f / (parameters.ramp_high - parameters.ramp_low);
        const float to_unit = 1.0f / 255.0f;
        cv::parallel_for_(cv::Range(0, height), [&](const cv::Range &range) {
            std::vector<float> row(size_t(width) * 4);
            std::vector<uint8_t> state(low_size.width);
            for (int y = range.start; y < range.end; ++y) {
                const uint8_t *s0 = sure.ptr<uint8_t>(rows.index0[y]), *s1 = sure.ptr<uint8_t>(rows.index1[y]);
                for (int x = 0; x < low_size.width; ++x) state[x] = s0[x] == s1[x] ? s0[x] : 1;
                const uint8_t *pixel = image.ptr<uint8_t>(y);
                uint8_t *out = alpha_out + size_t(y) * width;
                // Runs of columns that need interpolation are upsampled together.
                int x = 0;
                while (x < width) {
                    const uint8_t a = state[columns.index0[x]], b = state[columns.index1[x]];
                    if (a == b && a != 1) {
                        out[x++] = a;
                        continue;
                    }
                    int end = x + 1;
                    while (end < width) {
                        const uint8_t a2 = state[columns.index0[end]], b2 = state[columns.index1[end]];
                        if (a2 == b2 && a2 != 1) break;
                        ++end;
                    }
                    upsample_row_range(coefficients, columns, rows, y, x, end, row.data());
                    for (int i = x; i < end; ++i) {
                        const float *c = &row[size_t(i - x) * 4];
                        const float q = (c[0] * pixel[3 * i] + c[1] * pixel[3 * i + 1] + c[2] * pixel[3 * i + 2]) * to_unit + c[3];
                        out[i] = ramp(q, low, inverse_span);
                    }
                    x = end;
                }
            }
        }, std::max(1.0, height / 64.0));
        return 0;
    });
}

extern "C" int cvision_upsample_mask(const float *coarse, int coarse_w, int coarse_h, int width, int height,
                                     uint8_t *alpha_out, cvision_status *status) {
    return guarded(status, "upsampling the mask", [&] {
        require(coarse != nullptr && coarse_w > 0 && coarse_h > 0, "expected a coarse mask and its size");
        require(alpha_out != nullptr && width > 0 && height > 0, "expected an alpha buffer and its size");
        cv::Mat coarse_map(coarse_h, coarse_w, CV_32F, const_cast<float *>(coarse));
        cv::Mat coarse8;
        coarse_map.convertTo(coarse8, CV_8U, 255.0);
        cv::Mat target(height, width, CV_8U, alpha_out);
        cv::resize(coarse8, target, target.size(), 0, 0, cv::INTER_LANCZOS4);
        return 0;
    });
}
