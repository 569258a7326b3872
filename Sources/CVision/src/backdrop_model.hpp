// The studio backdrop model shared by cvision_backdrop_alpha and cvision_fuse_alpha: a smooth
// (quadratic) colour surface fitted robustly to the image border.
#pragma once

#include <opencv2/core.hpp>

namespace cvision {

/// c0 + c1 x + c2 y + c3 x² + c4 xy + c5 y², per channel.
struct Surface {
    cv::Mat coefficients = cv::Mat::zeros(6, 3, CV_64F);
    cv::Vec3f at(float x, float y) const {
        const double basis[6] = {1, x, y, x * x, x * y, y * y};
        cv::Vec3f result;
        for (int c = 0; c < 3; ++c) {
            double v = 0;
            for (int k = 0; k < 6; ++k) v += basis[k] * coefficients.at<double>(k, c);
            result[c] = float(v);
        }
        return result;
    }
};


struct BackdropModel {
    Surface surface;
    double inlier_fraction = 0;
    double residual = 1e9;  // median colour distance of inliers, levels
    cv::Vec3d mean_colour;
};

/// Fits the surface on a ≤512-px copy of the border; callers check inlier_fraction and residual.
BackdropModel fit_backdrop(const cv::Mat &image);

/// Median distance from the surface of full-resolution border pixels that agree with it.
double full_resolution_noise(const cv::Mat &image, const Surface &surface);

/// The surface evaluated at every pixel of a `size` image (CV_32FC3, same coordinates as the full
/// image: -1..1 across each side).
cv::Mat surface_map(const Surface &surface, cv::Size size);

/// Maximum over block × block tiles of an 8-bit mask (edge tiles cover what is left).
cv::Mat block_maximum(const cv::Mat &mask, int block);

/// cvision_backdrop_alpha's per-pixel "differs from the backdrop" alpha for a fitted model, written
/// to `distance` (CV_8U, the image's size).
void difference_alpha(const cv::Mat &image, const BackdropModel &model, cv::Mat &distance);

/// The model is trusted (a plain or gradient studio backdrop) when most of the border fits it.
bool backdrop_fits(const BackdropModel &model);

}  // namespace cvision
