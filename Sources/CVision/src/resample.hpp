// Bilinear upsampling of a small multi-channel float map, one band of output rows at a time, so a
// full-resolution copy of the map is never held (the 12 MP memory budget depends on it).
#pragma once

#include <opencv2/core.hpp>

#include <algorithm>
#include <vector>

namespace cvision {

/// Maps output columns/rows to source taps with cv::resize's INTER_LINEAR convention
/// (src = (dst + 0.5) * scale - 0.5, clamped at the borders).
struct LinearTaps {
    std::vector<int> index0, index1;
    std::vector<float> weight1;

    LinearTaps(int source_size, int target_size) : index0(target_size), index1(target_size), weight1(target_size) {
        const double scale = double(source_size) / double(target_size);
        for (int i = 0; i < target_size; ++i) {
            double s = (i + 0.5) * scale - 0.5;
            s = std::clamp(s, 0.0, double(source_size - 1));
            int i0 = std::min(int(s), source_size - 1);
            int i1 = std::min(i0 + 1, source_size - 1);
            index0[i] = i0;
            index1[i] = i1;
            weight1[i] = float(s - i0);
        }
    }
};

/// Writes one full-width output row (channels interleaved) of the bilinear upsampling of `low`
/// (CV_32FC(n)) to `row`, which holds target_width * n floats.
inline void upsample_row(const cv::Mat &low, const LinearTaps &columns, const LinearTaps &rows, int y,
                         float *row) {
    const int n = low.channels();
    const float *r0 = low.ptr<float>(rows.index0[y]);
    const float *r1 = low.ptr<float>(rows.index1[y]);
    const float wy = rows.weight1[y];
    const int width = int(columns.index0.size());
    for (int x = 0; x < width; ++x) {
        const int c0 = columns.index0[x] * n, c1 = columns.index1[x] * n;
        const float wx = columns.weight1[x];
        for (int c = 0; c < n; ++c) {
            const float top = r0[c0 + c] + (r0[c1 + c] - r0[c0 + c]) * wx;
            const float bottom = r1[c0 + c] + (r1[c1 + c] - r1[c0 + c]) * wx;
            row[x * n + c] = top + (bottom - top) * wy;
        }
    }
}

/// Size of the working copy for operations that only need a smooth, low-resolution view.
inline cv::Size working_size(int width, int height, int max_side) {
    const int side = std::max(width, height);
    if (side <= max_side) return {width, height};
    const double scale = double(max_side) / side;
    return {std::max(1, int(width * scale + 0.5)), std::max(1, int(height * scale + 0.5))};
}

}  // namespace cvision
