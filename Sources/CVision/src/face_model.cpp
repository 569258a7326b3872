// CenterFace (a face-as-point CNN run by ONNX Runtime in Swift): its input tensor, from the image turned
// by quarter turns and resized, and the faces in its four output maps (heatmap, log box size, centre
// offset, landmarks), after non-maximum suppression.
#include "CVision.h"
#include "status.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace cvision;

extern "C" int cvision_face_input(const uint8_t *rgb, int width, int height, size_t stride, int quarter_turns,
                                  int out_width, int out_height, float *tensor, cvision_status *status) {
    return guarded(status, "face_input", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(tensor != nullptr && out_width > 0 && out_height > 0, "expected an output tensor");
        require(quarter_turns >= 0 && quarter_turns < 4, "expected 0 to 3 quarter turns");
        // Resize first (fewer pixels to turn), to the size that becomes out_width × out_height once turned.
        const bool sideways = quarter_turns % 2 == 1;
        const int sized_width = sideways ? out_height : out_width, sized_height = sideways ? out_width : out_height;
        cv::Mat sized;
        const bool shrinking = sized_width < width && sized_height < height;
        cv::resize(image, sized, {sized_width, sized_height}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        cv::Mat turned = sized;
        if (quarter_turns == 1) cv::rotate(sized, turned, cv::ROTATE_90_CLOCKWISE);
        if (quarter_turns == 2) cv::rotate(sized, turned, cv::ROTATE_180);
        if (quarter_turns == 3) cv::rotate(sized, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
        require(turned.cols == out_width && turned.rows == out_height, "turned size mismatch");
        // CenterFace takes planes R, G, B of 0…255, no mean, no scaling.
        const size_t plane = size_t(out_width) * size_t(out_height);
        for (int y = 0; y < out_height; ++y) {
            const uint8_t *row = turned.ptr<uint8_t>(y);
            for (int x = 0; x < out_width; ++x) {
                const size_t at = size_t(y) * out_width + x;
                for (int c = 0; c < 3; ++c) tensor[size_t(c) * plane + at] = row[x * 3 + c];
            }
        }
        return 0;
    });
}

extern "C" int cvision_face_boxes(const float *heatmap, const float *scale, const float *offset, int map_width,
                                  int map_height, float threshold, float overlap, cvision_face *faces, int capacity,
                                  int *count, cvision_status *status) {
    return guarded(status, "face_boxes", [&] {
        require(heatmap != nullptr && scale != nullptr && offset != nullptr, "expected the model's maps");
        require(map_width > 0 && map_height > 0, "expected a map size");
        require(faces != nullptr && capacity > 0 && count != nullptr, "expected room for the faces");
        *count = 0;
        const size_t plane = size_t(map_width) * size_t(map_height);
        // The maps are a quarter of the input's size: a face centred at map cell (x, y) + offset, its
        // height and width exp(scale) × 4 input pixels.
        constexpr float stride = 4;
        std::vector<cv::Rect2d> boxes;
        std::vector<float> scores;
        for (int y = 0; y < map_height && boxes.size() < 100000; ++y) {
            for (int x = 0; x < map_width; ++x) {
                const size_t at = size_t(y) * map_width + x;
                const float score = heatmap[at];
                if (!(score > threshold)) continue;
                const float h = std::exp(std::min(scale[at], 10.0f)) * stride;
                const float w = std::exp(std::min(scale[plane + at], 10.0f)) * stride;
                const float cy = (y + offset[at] + 0.5f) * stride, cx = (x + offset[plane + at] + 0.5f) * stride;
                boxes.emplace_back(cx - w / 2, cy - h / 2, w, h);
                scores.push_back(score);
            }
        }
        std::vector<int> kept;
        cv::dnn::NMSBoxes(boxes, scores, threshold, overlap, kept);
        std::sort(kept.begin(), kept.end(), [&](int a, int b) { return scores[a] > scores[b]; });
        int written = 0;
        for (int index : kept) {
            if (written >= capacity) break;
            const cv::Rect2d &b = boxes[index];
            faces[written++] = {float(b.x), float(b.y), float(b.width), float(b.height), scores[index]};
        }
        *count = int(kept.size());
        return 0;
    });
}
