// Bilinear upsampling of a small multi-channel float map, one band of output rows at a time, so a
// full-resolution copy of the map is never held (the 12 MP memory budget depends on it).
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

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

/// Like upsample_row, but only output columns [x0, x1): writes (x1 - x0) * n floats to `row`.
inline void upsample_row_range(const cv::Mat &low, const LinearTaps &columns, const LinearTaps &rows, int y,
                               int x0, int x1, float *row) {
    const int n = low.channels();
    const float *r0 = low.ptr<float>(rows.index0[y]);
    const float *r1 = low.ptr<float>(rows.index1[y]);
    const float wy = rows.weight1[y];
    for (int x = x0; x < x1; ++x) {
        const int c0 = columns.index0[x] * n, c1 = columns.index1[x] * n;
        const float wx = columns.weight1[x];
        float *out = row + size_t(x - x0) * n;
        for (int c = 0; c < n; ++c) {
            const float top = r0[c0 + c] + (r0[c1 + c] - r0[c0 + c]) * wx;
            const float bottom = r1[c0 + c] + (r1[c1 + c] - r1[c0 + c]) * wx;
            out[c] = top + (bottom - top) * wy;
        }
    }
}

/// Bounding box of the pixels of an 8-bit mask whose value satisfies `test`; empty if none.
template <class Test>
inline cv::Rect bounding_box(const cv::Mat &mask, Test test) {
    int x0 = mask.cols, x1 = -1, y0 = mask.rows, y1 = -1;
    for (int y = 0; y < mask.rows; ++y) {
        const uint8_t *m = mask.ptr<uint8_t>(y);
        int first = -1, last = -1;
        for (int x = 0; x < mask.cols; ++x)
            if (test(m[x])) { first = x; break; }
        if (first < 0) continue;
        for (int x = mask.cols - 1; x >= first; --x)
            if (test(m[x])) { last = x; break; }
        x0 = std::min(x0, first), x1 = std::max(x1, last);
        y0 = std::min(y0, y), y1 = y;
    }
    if (x1 < 0) return {};
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

/// 255 where any pixel of the block × block tile of an 8-bit mask is set (edge tiles cover the rest).
inline cv::Mat block_any(const cv::Mat &mask, int block) {
    if (block <= 1) return mask.clone();
    cv::Mat result((mask.rows + block - 1) / block, (mask.cols + block - 1) / block, CV_8U, cv::Scalar(0));
    for (int y = 0; y < mask.rows; ++y) {
        const uint8_t *m = mask.ptr<uint8_t>(y);
        uint8_t *out = result.ptr<uint8_t>(y / block);
        for (int x = 0; x < mask.cols; ++x)
            if (m[x]) out[x / block] = 255;
    }
    return result;
}

/// `box` grown by `margin` on every side and clipped to `size`.
inline cv::Rect grow_rect(const cv::Rect &box, int margin, cv::Size size) {
    return cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
           cv::Rect(0, 0, size.width, size.height);
}

/// cv::resize(..., INTER_AREA) to a smaller `size`, faster: OpenCV's area resampling is ~3× quicker for
/// an integer factor, so when one divides both sides the image is first reduced by it (the result
/// matches a direct area resize up to rounding).
inline void area_resize(const cv::Mat &src, cv::Mat &dst, cv::Size size) {
    const int limit = std::min(src.cols / std::max(1, size.width), src.rows / std::max(1, size.height));
    for (int f = limit; f >= 2; --f) {
        if (src.cols % f || src.rows % f) continue;
        cv::Mat reduced;
        cv::resize(src, reduced, cv::Size(src.cols / f, src.rows / f), 0, 0, cv::INTER_AREA);
        if (reduced.size() == size) dst = reduced;
        else cv::resize(reduced, dst, size, 0, 0, cv::INTER_AREA);
        return;
    }
    cv::resize(src, dst, size, 0, 0, cv::INTER_AREA);
}

/// Size of the working copy for operations that only need a smooth, low-resolution view.
inline cv::Size working_size(int width, int height, int max_side) {
    const int side = std::max(width, height);
    if (side <= max_side) return {width, height};
    const double scale = double(max_side) / side;
    return {std::max(1, int(width * scale + 0.5)), std::max(1, int(height * scale + 0.5))};
}

}  // namespace cvision
