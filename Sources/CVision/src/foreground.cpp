// Foreground colour estimation by blur fusion (Forte & Pitié 2021, "Approximate Fast Foreground
// Colour Estimation"): two passes, a wide one (radius 90) that finds the local foreground and
// background colours and a narrow one (radius 6) that sharpens them; F = F̄ + α(I − αF̄ − (1−α)B̄).
// The wide pass runs on a subsampled copy (a 90-pixel box is smooth); the narrow one in row bands.
#include "CVision.h"
#include "resample.hpp"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

using namespace cvision;

namespace {

constexpr int kWideRadius = 90;
constexpr int kNarrowRadius = 6;
constexpr int kBandRows = 64;

cv::Mat box(const cv::Mat &source, int radius) {
    cv::Mat result;
    cv::boxFilter(source, result, CV_32F, cv::Size(2 * radius + 1, 2 * radius + 1), cv::Point(-1, -1), true,
                  cv::BORDER_REPLICATE);
    return result;
}

/// Weighted local mean of `colour` (CV_32FC3) with weight `weight` (CV_32F).
cv::Mat weighted_mean(const cv::Mat &colour, const cv::Mat &weight, int radius) {
    cv::Mat weight3;
    cv::merge(std::vector<cv::Mat>{weight, weight, weight}, weight3);
    cv::Mat numerator = box(colour.mul(weight3), radius);
    cv::Mat denominator = box(weight3, radius) + cv::Scalar::all(1e-5);
    return numerator / denominator;
}

/// F = clip(F̄ + α(I − αF̄ − (1−α)B̄)) for one pixel, channels 0..1.
inline void fuse(const float *image, float alpha, const float *mean_f, const float *mean_b, float *out) {
    for (int c = 0; c < 3; ++c) {
        const float f = mean_f[c] + alpha * (image[c] - alpha * mean_f[c] - (1 - alpha) * mean_b[c]);
        out[c] = std::clamp(f, 0.0f, 1.0f);
    }
}

}  // namespace

extern "C" int cvision_estimate_foreground(const uint8_t *rgb, int width, int height, size_t stride,
                                           const uint8_t *alpha, uint8_t *fg_out, cvision_status *status) {
    return guarded(status, "estimating the foreground colour", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(alpha != nullptr && fg_out != nullptr, "expected alpha and output buffers");
        cv::Mat alpha8(height, width, CV_8U, const_cast<uint8_t *>(alpha));
        cv::Mat output(height, width, CV_8UC3, fg_out);

        // Wide pass on a copy whose long side is about 1000 pixels.
        const cv::Size low_size = working_size(width, height, 1000);
        const double factor = double(low_size.width) / width;
        const int wide = std::max(2, int(kWideRadius * factor + 0.5));
        cv::Mat low_image, low_alpha;
        cv::resize(image, low_image, low_size, 0, 0, cv::INTER_AREA);
        cv::resize(alpha8, low_alpha, low_size, 0, 0, cv::INTER_AREA);
        low_image.convertTo(low_image, CV_32FC3, 1.0 / 255);
        low_alpha.convertTo(low_alpha, CV_32F, 1.0 / 255);
        cv::Mat mean_f1 = weighted_mean(low_image, low_alpha, wide);
        cv::Mat mean_b1 = weighted_mean(low_image, 1.0 - low_alpha, wide);
        low_image.release();
        low_alpha.release();

        const LinearTaps columns(low_size.width, width), rows(low_size.height, height);
        const int bands = (height + kBandRows - 1) / kBandRows;
        // Outside the soft columns of a band alpha is 0 or 255: the output is zero or the photo.
        auto copy_hard = [&](int y, int x0, int x1) {
            const uint8_t *alpha_row = alpha8.ptr<uint8_t>(y), *pixel = image.ptr<uint8_t>(y);
            uint8_t *out = output.ptr<uint8_t>(y);
            for (int x = x0; x < x1; ++x) {
                const uint8_t keep = alpha_row[x] ? 255 : 0;
                out[3 * x] = pixel[3 * x] & keep;
                out[3 * x + 1] = pixel[3 * x + 1] & keep;
                out[3 * x + 2] = pixel[3 * x + 2] & keep;
            }
        };
        cv::parallel_for_(cv::Range(0, bands), [&](const cv::Range &range) {
            std::vector<float> row_f, row_b;
            std::vector<uint8_t> soft_column(width);
            for (int band = range.start; band < range.end; ++band) {
                const int y0 = band * kBandRows, y1 = std::min(height, y0 + kBandRows);
                // Zero or the photo everywhere first; then only partial-alpha pixels need an estimate.
                for (int y = y0; y < y1; ++y) copy_hard(y, 0, width);
                // Columns holding partial alpha in this band, grouped into segments (a segment and the
                // kNarrowRadius columns beside it are all the narrow pass reads for its soft pixels).
                std::fill(soft_column.begin(), soft_column.end(), 0);
                bool any = false;
                for (int y = y0; y < y1; ++y) {
                    const uint8_t *a = alpha8.ptr<uint8_t>(y);
                    for (int x = 0; x < width; ++x) {
                        const uint8_t soft = uint8_t(a[x] - 1) < 254;
                        soft_column[x] |= soft;
                    }
                }
                for (int x = 0; x < width && !any; ++x) any = soft_column[x];
                if (!any) continue;
                const int e0 = std::max(0, y0 - kNarrowRadius), e1 = std::min(height, y1 + kNarrowRadius);
                const int n = e1 - e0;
                int x = 0;
                while (x < width) {
                    if (!soft_column[x]) { ++x; continue; }
                    // A segment: soft columns whose gaps are at most 2·kNarrowRadius + 1 wide.
                    const int sx0 = x;
                    int sx1 = x, gap = 0;
                    for (int i = x + 1; i < width; ++i) {
                        if (soft_column[i]) sx1 = i, gap = 0;
                        else if (++gap > 2 * kNarrowRadius + 1) break;
                    }
                    x = sx1 + 1;
                    const int c0 = std::max(0, sx0 - kNarrowRadius), c1 = std::min(width, sx1 + 1 + kNarrowRadius);
                    const int cols = c1 - c0;
                    row_f.resize(size_t(cols) * 3), row_b.resize(size_t(cols) * 3);
                    const cv::Rect region(c0, e0, cols, n);
                    cv::Mat a, colour, f1(n, cols, CV_32FC3), b1(n, cols, CV_32FC3);
                    alpha8(region).convertTo(a, CV_32F, 1.0 / 255);
                    image(region).convertTo(colour, CV_32FC3, 1.0 / 255);
                    for (int y = 0; y < n; ++y) {
                        upsample_row_range(mean_f1, columns, rows, e0 + y, c0, c1, row_f.data());
                        upsample_row_range(mean_b1, columns, rows, e0 + y, c0, c1, row_b.data());
                        const float *ar = a.ptr<float>(y), *ir = colour.ptr<float>(y);
                        float *fr = f1.ptr<float>(y), *br = b1.ptr<float>(y);
                        for (int i = 0; i < cols; ++i) fuse(ir + 3 * i, ar[i], &row_f[3 * i], &row_b[3 * i], fr + 3 * i);
                        std::copy(row_b.begin(), row_b.end(), br);
                    }
                    // The box filters' border handling at the segment's sides never reaches a soft
                    // pixel's window: the result equals the full-width pass.
                    cv::Mat mean_f2 = weighted_mean(f1, a, kNarrowRadius);
                    cv::Mat mean_b2 = weighted_mean(b1, 1.0 - a, kNarrowRadius);
                    for (int y = y0; y < y1; ++y) {
                        const int local = y - e0;
                        const uint8_t *alpha_row = alpha8.ptr<uint8_t>(y);
                        const float *ir = colour.ptr<float>(local), *ar = a.ptr<float>(local);
                        const float *mf = mean_f2.ptr<float>(local), *mb = mean_b2.ptr<float>(local);
                        uint8_t *out = output.ptr<uint8_t>(y);
                        for (int px = sx0; px <= sx1; ++px) {
                            if (uint8_t(alpha_row[px] - 1) >= 254) continue;  // 0 or 255: already written
                            const int lx = px - c0;
                            float f[3];
                            fuse(ir + 3 * lx, ar[lx], mf + 3 * lx, mb + 3 * lx, f);
                            for (int c = 0; c < 3; ++c) out[3 * px + c] = uint8_t(f[c] * 255.0f + 0.5f);
                        }
                    }
                }
            }
        });
        return 0;
    });
}
