#pragma once

#include "backdrop_model.hpp"

#include <opencv2/core.hpp>

namespace cvision {

/// Lowers `alpha` (CV_8U, the image's size) inside clear parts of a product (glass bodies) on a
/// fitted studio backdrop to |I − B| / |F − B| with F the enclosing rim; opaque regions are left alone.
/// `small` is a working copy of the image (CV_32FC3, long side ≤ 1024) and `backdrop` the surface
/// evaluated on it (surface_map).
void apply_transparency(const cv::Mat &image, cv::Mat &alpha, const Surface &surface, const cv::Mat &small,
                        const cv::Mat &backdrop);

}  // namespace cvision
