// Scene text (PP-OCR's detector and recogniser, run by ONNX Runtime in Swift): the detector's input
// tensor, the boxes in its probability map (a DB detector: threshold, connected shapes, each grown by
// the margin the network was trained to leave off), and each line's straightened crop for the recogniser.
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

using namespace cvision;

namespace {

/// Corners of a rotated rectangle in reading order: top-left, top-right, bottom-right, bottom-left
/// (for a box seen level; a steep box's "top" is its upper long side).
std::array<cv::Point2f, 4> reading_order(const cv::RotatedRect &box) {
    std::array<cv::Point2f, 4> p;
    box.points(p.data());
    std::sort(p.begin(), p.end(), [](const cv::Point2f &a, const cv::Point2f &b) { return a.x < b.x; });
    cv::Point2f left[2] = {p[0], p[1]}, right[2] = {p[2], p[3]};
    if (left[0].y > left[1].y) std::swap(left[0], left[1]);
    if (right[0].y > right[1].y) std::swap(right[0], right[1]);
    return {left[0], right[0], right[1], left[1]};
}

/// Mean probability inside the rotated box (the detector's own confidence in it).
double box_score(const cv::Mat &prob, const cv::RotatedRect &box) {
    cv::Point2f corners[4];
    box.points(corners);
    cv::Rect bounds = cv::boundingRect(std::vector<cv::Point2f>(corners, corners + 4)) & cv::Rect(0, 0, prob.cols, prob.rows);
    if (bounds.empty()) return 0;
    cv::Mat mask = cv::Mat::zeros(bounds.size(), CV_8UC1);
    std::vector<cv::Point> polygon;
    for (const auto &c : corners) polygon.emplace_back(cvRound(c.x - bounds.x), cvRound(c.y - bounds.y));
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{polygon}, cv::Scalar(1));
    return cv::mean(prob(bounds), mask)[0];
}

}  // namespace

extern "C" int cvision_scene_text_input(const uint8_t *rgb, int width, int height, size_t stride, int out_width,
                                        int out_height, float *tensor, cvision_status *status) {
    return guarded(status, "scene_text_input", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(tensor != nullptr && out_width > 0 && out_height > 0, "expected an output tensor");
        cv::Mat sized;
        const bool shrinking = out_width < width && out_height < height;
        cv::resize(image, sized, {out_width, out_height}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        // PP-OCR was trained on OpenCV's BGR order, scaled to -1…1: planes B, G, R.
        const size_t plane = size_t(out_width) * size_t(out_height);
        for (int y = 0; y < out_height; ++y) {
            const uint8_t *row = sized.ptr<uint8_t>(y);
            for (int x = 0; x < out_width; ++x) {
                const size_t at = size_t(y) * out_width + x;
                for (int c = 0; c < 3; ++c) tensor[size_t(2 - c) * plane + at] = row[x * 3 + c] / 127.5f - 1.0f;
            }
        }
        return 0;
    });
}

extern "C" int cvision_scene_text_boxes(const float *probability, int map_width, int map_height, float threshold,
                                        float box_threshold, float unclip_ratio, int image_width, int image_height,
                                        cvision_text_quad *quads, int capacity, int *count, cvision_status *status) {
    return guarded(status, "scene_text_boxes", [&] {
        require(probability != nullptr && map_width > 0 && map_height > 0, "expected a probability map");
        require(quads != nullptr && capacity > 0 && count != nullptr, "expected room for the boxes");
        require(image_width > 0 && image_height > 0, "expected the image's size");
        *count = 0;
        cv::Mat prob(map_height, map_width, CV_32FC1, const_cast<float *>(probability));
        cv::Mat bitmap = prob > threshold;
        // A 2×2 dilation joins the letters of a word the map left a pixel apart (as PP-OCR's own post-processing).
        cv::dilate(bitmap, bitmap, cv::Mat::ones(2, 2, CV_8UC1));
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(bitmap, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
        const double sx = double(image_width) / map_width, sy = double(image_height) / map_height;
        int kept = 0;
        for (size_t i = 0; i < contours.size() && i < 1000 && kept < capacity; ++i) {
            cv::RotatedRect box = cv::minAreaRect(contours[i]);
            if (std::min(box.size.width, box.size.height) < 3) continue;
            const double score = box_score(prob, box);
            if (score < box_threshold) continue;
            // The detector marks a shrunk core of each line; grow it back by area × ratio / perimeter on
            // every side (the offset the training labels were shrunk by).
            const double w = box.size.width, h = box.size.height;
            const double grow = w * h * unclip_ratio / (2 * (w + h));
            box.size.width = float(w + 2 * grow);
            box.size.height = float(h + 2 * grow);
            if (std::min(box.size.width, box.size.height) < 5) continue;
            auto corners = reading_order(box);
            cvision_text_quad &quad = quads[kept++];
            for (int k = 0; k < 4; ++k) {
                quad.x[k] = float(std::clamp(corners[k].x * sx, 0.0, double(image_width - 1)));
                quad.y[k] = float(std::clamp(corners[k].y * sy, 0.0, double(image_height - 1)));
            }
            quad.score = float(score);
        }
        *count = kept;
        return 0;
    });
}

extern "C" int cvision_scene_text_crop(const uint8_t *rgb, int width, int height, size_t stride,
                                       const cvision_text_quad *quad, int out_height, int max_width, uint8_t *out,
                                       int *out_width, int *turned, cvision_status *status) {
    return guarded(status, "scene_text_crop", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(quad != nullptr && out != nullptr && out_width != nullptr && turned != nullptr, "expected a box and an output");
        require(out_height > 0 && max_width > 0, "expected a positive crop size");
        cv::Point2f from[4];
        for (int k = 0; k < 4; ++k) from[k] = {quad->x[k], quad->y[k]};
        const double top = cv::norm(from[1] - from[0]), bottom = cv::norm(from[2] - from[3]);
        const double left = cv::norm(from[3] - from[0]), right = cv::norm(from[2] - from[1]);
        const int crop_w = std::max(1, int(std::lround(std::max(top, bottom))));
        const int crop_h = std::max(1, int(std::lround(std::max(left, right))));
        cv::Point2f to[4] = {{0, 0}, {float(crop_w), 0}, {float(crop_w), float(crop_h)}, {0, float(crop_h)}};
        cv::Mat straight;
        cv::warpPerspective(image, straight, cv::getPerspectiveTransform(from, to), {crop_w, crop_h}, cv::INTER_CUBIC,
                            cv::BORDER_REPLICATE);
        // A box much taller than wide is a line running up or down the photo: a quarter turn
        // anticlockwise reads it (the recogniser's 0/180° check mends the other direction).
        *turned = 0;
        if (straight.rows >= 1.5 * straight.cols) {
            cv::rotate(straight, straight, cv::ROTATE_90_COUNTERCLOCKWISE);
            *turned = 1;
        }
        const double ratio = double(straight.cols) / straight.rows;
        const int w = std::clamp(int(std::ceil(out_height * ratio)), 1, max_width);
        cv::Mat sized(out_height, w, CV_8UC3, out);
        const bool shrinking = w < straight.cols && out_height < straight.rows;
        cv::resize(straight, sized, {w, out_height}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        *out_width = w;
        return 0;
    });
}
