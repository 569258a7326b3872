// Backdrop model for studio shots: a smooth (quadratic) colour surface fitted robustly to the image
// border; where it fits, "differs from the backdrop" is a strong per-pixel cue that catches what the
// network misses (white on white, black on black) and gives glass its partial alpha.
#include "CVision.h"
#include "backdrop_model.hpp"
#include "resample.hpp"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace cvision;

namespace {

constexpr int kFitSide = 512;             // long side of the copy the surface is fitted on
constexpr double kBorderFraction = 0.04;  // border band width, fraction of each side
constexpr double kMinInlierFraction = 0.6;
constexpr double kMaxResidual = 7.0;      // robust residual scale (levels) above which it is not a backdrop

}  // namespace

namespace cvision {

cv::Mat block_maximum(const cv::Mat &mask, int block) {
    const int bw = (mask.cols + block - 1) / block, bh = (mask.rows + block - 1) / block;
    cv::Mat result(bh, bw, CV_8U, cv::Scalar(0));
    for (int y = 0; y < mask.rows; ++y) {
        const uint8_t *m = mask.ptr<uint8_t>(y);
        uint8_t *out = result.ptr<uint8_t>(y / block);
        for (int x = 0; x < mask.cols; ++x) out[x / block] = std::max(out[x / block], m[x]);
    }
    return result;
}

namespace {

struct Sample {
    float x, y;  // -1..1
    cv::Vec3f colour;
};


Surface fit(const std::vector<Sample> &samples, const std::vector<uint8_t> &inlier) {
    int n = 0;
    for (uint8_t keep : inlier) n += keep;
    cv::Mat a(n, 6, CV_64F), b(n, 3, CV_64F);
    int row = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
        if (!inlier[i]) continue;
        const Sample &s = samples[i];
        const double basis[6] = {1, s.x, s.y, s.x * s.x, s.x * s.y, s.y * s.y};
        for (int k = 0; k < 6; ++k) a.at<double>(row, k) = basis[k];
        for (int c = 0; c < 3; ++c) b.at<double>(row, c) = s.colour[c];
        ++row;
    }
    Surface surface;
    cv::solve(a, b, surface.coefficients, cv::DECOMP_CHOLESKY | cv::DECOMP_NORMAL);
    return surface;
}

double median(std::vector<float> values) {
    if (values.empty()) return 0;
    auto middle = values.begin() + values.size() / 2;
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}


}  // namespace

BackdropModel fit_backdrop(const cv::Mat &image) {
    const cv::Size size = working_size(image.cols, image.rows, kFitSide);
    cv::Mat small;
    area_resize(image, small, size);
    const int band_x = std::max(2, int(size.width * kBorderFraction)), band_y = std::max(2, int(size.height * kBorderFraction));
    std::vector<Sample> samples;
    for (int y = 0; y < size.height; ++y) {
        const uint8_t *p = small.ptr<uint8_t>(y);
        const bool edge_row = y < band_y || y >= size.height - band_y;
        for (int x = 0; x < size.width; ++x) {
            if (!edge_row && x >= band_x && x < size.width - band_x) continue;
            samples.push_back({float(2.0 * (x + 0.5) / size.width - 1), float(2.0 * (y + 0.5) / size.height - 1),
                               cv::Vec3f(p[3 * x], p[3 * x + 1], p[3 * x + 2])});
        }
    }
    // Start from the half of the border closest to its median colour, then refit and re-select.
    std::vector<float> channel(samples.size());
    cv::Vec3f centre;
    for (int c = 0; c < 3; ++c) {
        for (size_t i = 0; i < samples.size(); ++i) channel[i] = samples[i].colour[c];
        centre[c] = float(median(channel));
    }
    std::vector<float> distance(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) distance[i] = float(cv::norm(samples[i].colour - centre));
    const double half = median(distance);
    std::vector<uint8_t> inlier(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) inlier[i] = distance[i] <= half;

    BackdropModel model;
    for (int iteration = 0; iteration < 6; ++iteration) {
        model.surface = fit(samples, inlier);
        std::vector<float> inlier_distance;
        for (size_t i = 0; i < samples.size(); ++i) {
            distance[i] = float(cv::norm(samples[i].colour - model.surface.at(samples[i].x, samples[i].y)));
            if (inlier[i]) inlier_distance.push_back(distance[i]);
        }
        model.residual = median(inlier_distance);
        const double threshold = std::max(4.0, 3.0 * model.residual);
        size_t count = 0;
        for (size_t i = 0; i < samples.size(); ++i) count += (inlier[i] = distance[i] <= threshold);
        if (count < 16) break;
        model.inlier_fraction = double(count) / samples.size();
    }
    cv::Vec3d sum;
    size_t count = 0;
    for (size_t i = 0; i < samples.size(); ++i)
        if (inlier[i]) sum += cv::Vec3d(model.surface.at(samples[i].x, samples[i].y)), ++count;
    model.mean_colour = count ? sum / double(count) : cv::Vec3d();
    return model;
}

/// Median distance from the surface of full-resolution border pixels that agree with it: the
/// per-pixel noise the threshold must clear (the fit copy is averaged, hence quieter).
double full_resolution_noise(const cv::Mat &image, const Surface &surface) {
    std::vector<float> distance;
    const int w = image.cols, h = image.rows;
    const int step = std::max(1, (w + h) / 2000);
    auto visit = [&](int x, int y) {
        const uint8_t *p = image.ptr<uint8_t>(y) + 3 * x;
        const cv::Vec3f b = surface.at(float(2.0 * (x + 0.5) / w - 1), float(2.0 * (y + 0.5) / h - 1));
        const float d = float(cv::norm(cv::Vec3f(p[0], p[1], p[2]) - b));
        if (d < 24) distance.push_back(d);
    };
    for (int x = 0; x < w; x += step) visit(x, 1), visit(x, h - 2 < 0 ? 0 : h - 2);
    for (int y = 0; y < h; y += step) visit(1 < w ? 1 : 0, y), visit(w - 2 < 0 ? 0 : w - 2, y);
    return median(distance);
}

cv::Mat surface_map(const Surface &surface, cv::Size size) {
    cv::Mat map(size, CV_32FC3);
    const cv::Mat &k = surface.coefficients;
    for (int y = 0; y < size.height; ++y) {
        const double v = 2.0 * (y + 0.5) / size.height - 1;
        double c0[3], c1[3], c2[3];
        for (int c = 0; c < 3; ++c) {
            c0[c] = k.at<double>(0, c) + k.at<double>(2, c) * v + k.at<double>(5, c) * v * v;
            c1[c] = k.at<double>(1, c) + k.at<double>(4, c) * v;
            c2[c] = k.at<double>(3, c);
        }
        cv::Vec3f *out = map.ptr<cv::Vec3f>(y);
        for (int x = 0; x < size.width; ++x) {
            const double u = 2.0 * (x + 0.5) / size.width - 1;
            for (int c = 0; c < 3; ++c) out[x][c] = float(c0[c] + (c1[c] + c2[c] * u) * u);
        }
    }
    return map;
}

bool backdrop_fits(const BackdropModel &model) {
    return model.inlier_fraction >= kMinInlierFraction && model.residual <= kMaxResidual;
}

}  // namespace cvision

namespace cvision {

void difference_alpha(const cv::Mat &image, const BackdropModel &model, cv::Mat &distance) {
    const int width = image.cols, height = image.rows;
        const double noise = full_resolution_noise(image, model.surface);
        const float low = float(2.5 * noise + 3.0);
        const float span = float(std::max(16.0, 2.0 * noise));
        // Distance from the surface (levels, capped at 255), evaluated exactly per pixel: the surface
        // is a quadratic in x along each row.
        std::vector<float> us(width);
        for (int x = 0; x < width; ++x) us[x] = float(2.0 * (x + 0.5) / width - 1);
        cv::parallel_for_(cv::Range(0, height), [&](const cv::Range &range) {
            for (int y = range.start; y < range.end; ++y) {
                const double v = 2.0 * (y + 0.5) / height - 1;
                const cv::Mat &k = model.surface.coefficients;
                float c0[3], c1[3], c2[3];
                for (int c = 0; c < 3; ++c) {
                    c0[c] = float(k.at<double>(0, c) + k.at<double>(2, c) * v + k.at<double>(5, c) * v * v);
                    c1[c] = float(k.at<double>(1, c) + k.at<double>(4, c) * v);
                    c2[c] = float(k.at<double>(3, c));
                }
                const uint8_t *p = image.ptr<uint8_t>(y);
                uint8_t *out = distance.ptr<uint8_t>(y);
                for (int x = 0; x < width; ++x) {
                    const float u = us[x];
                    const float d0 = p[3 * x] - (c0[0] + (c1[0] + c2[0] * u) * u);
                    const float d1 = p[3 * x + 1] - (c0[1] + (c1[1] + c2[1] * u) * u);
                    const float d2 = p[3 * x + 2] - (c0[2] + (c1[2] + c2[2] * u) * u);
                    out[x] = uint8_t(std::min(255.0f, std::sqrt(d0 * d0 + d1 * d1 + d2 * d2)));
                }
            }
        });
        // A pixel's difference relative to the product's own nearby difference is its alpha: a soft
        // edge mixing product and backdrop differs by alpha times what the solid product does. The
        // nearby product is the local maximum; below the noise-aware floor nothing counts.
        const int reach = std::max(3, int(0.012 * std::max(width, height)));
        // The local maximum over a (2·reach+1)² window, on 4×4 block maxima (the window grows by at
        // most 3 px): a 97-px full-resolution dilation at 12 MP cost more than the rest of the call.
        const int block = reach >= 16 ? 4 : 1;
        cv::Mat local_max;
        if (block == 1) {
            cv::dilate(distance, local_max, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * reach + 1, 2 * reach + 1)));
        } else {
            local_max = block_maximum(distance, block);
            const int r = (reach + block - 1) / block;
            cv::dilate(local_max, local_max, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * r + 1, 2 * r + 1)));
        }
        cv::parallel_for_(cv::Range(0, height), [&](const cv::Range &range) {
            for (int y = range.start; y < range.end; ++y) {
                uint8_t *d = distance.ptr<uint8_t>(y);
                const uint8_t *m = local_max.ptr<uint8_t>(y / block);
                for (int x = 0; x < width; ++x) {
                    if (d[x] <= low) { d[x] = 0; continue; }
                    const float t = (d[x] - low) / std::max(float(m[block == 4 ? x >> 2 : x]) - low, span);
                    d[x] = t <= 0 ? 0 : t >= 1 ? 255 : uint8_t(t * 255.0f + 0.5f);
                }
            }
        });
}

}  // namespace cvision

extern "C" int cvision_backdrop_alpha(const uint8_t *rgb, int width, int height, size_t stride,
                                      uint8_t *backdrop_alpha, float *backdrop_rgb_out, cvision_status *status) {
    return guarded(status, "fitting the backdrop", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(backdrop_alpha != nullptr, "expected an alpha buffer but got NULL");
        require(width >= 16 && height >= 16, "expected an image of at least 16×16 pixels");
        const BackdropModel model = fit_backdrop(image);
        if (backdrop_rgb_out)
            for (int c = 0; c < 3; ++c) backdrop_rgb_out[c] = float(model.mean_colour[c]);
        if (!backdrop_fits(model)) return 0;
        cv::Mat distance(height, width, CV_8U, backdrop_alpha);
        difference_alpha(image, model, distance);
        return 1;
    });
}
