#include "tensor.hpp"

#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace cvision {

void require_valid_spec(const cvision_model_spec *spec) {
    require(spec != nullptr, "expected a model spec but got NULL");
    require(spec->input_width > 0 && spec->input_height > 0 && spec->input_width <= 4096 && spec->input_height <= 4096,
            "expected an input size between 1 and 4096");
    for (int c = 0; c < 3; ++c) require(spec->std[c] != 0, "expected a non-zero std for every channel");
}

void fill_input_tensor(const cv::Mat &rgb, const cvision_model_spec &spec, float *out_tensor) {
    cv::Mat resized;
    const cv::Size size(spec.input_width, spec.input_height);
    const bool shrinking = rgb.cols >= size.width && rgb.rows >= size.height;
    cv::resize(rgb, resized, size, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LANCZOS4);
    double scale = 255.0;
    if (spec.divide_by_image_max) {
        double max_value = 0;
        cv::minMaxLoc(resized.reshape(1), nullptr, &max_value);
        scale = max_value > 0 ? max_value : 1.0;
    }
    const int plane = size.width * size.height;
    for (int c = 0; c < 3; ++c) {
        const float a = float(1.0 / (scale * spec.std[c]));
        const float b = -spec.mean[c] / spec.std[c];
        float *out = out_tensor + c * plane;
        for (int y = 0; y < size.height; ++y) {
            const uint8_t *row = resized.ptr<uint8_t>(y);
            for (int x = 0; x < size.width; ++x) out[y * size.width + x] = row[x * 3 + c] * a + b;
        }
    }
}

void finish_probability_map(cv::Mat map, bool apply_sigmoid, cv::Mat &target) {
    if (apply_sigmoid) {
        cv::exp(-map, map);
        map = 1.0 / (1.0 + map);
    }
    double lo = 0, hi = 0;
    cv::minMaxLoc(map, &lo, &hi);
    if (!std::isfinite(lo) || !std::isfinite(hi)) throw ModelError("the output holds non-finite values");
    if (hi - lo > 1e-12) map = (map - lo) / (hi - lo);
    else map.setTo(0);
    if (map.size() == target.size()) map.copyTo(target);
    else cv::resize(map, target, target.size(), 0, 0, cv::INTER_LINEAR);
}

}  // namespace cvision

using namespace cvision;

extern "C" int cvision_make_input_tensor(const cvision_model_spec *spec, const uint8_t *rgb, int width, int height,
                                         size_t stride, float *tensor_out, cvision_status *status) {
    return guarded(status, "preparing the model input", [&] {
        require_valid_spec(spec);
        require(tensor_out != nullptr, "expected a tensor buffer but got NULL");
        fill_input_tensor(wrap_rgb(rgb, width, height, stride), *spec, tensor_out);
        return 0;
    });
}

extern "C" int cvision_finish_probability_map(const float *raw, int raw_width, int raw_height, int apply_sigmoid,
                                              float *mask_out, int mask_width, int mask_height,
                                              cvision_status *status) {
    return guarded(status, "reading the model output", [&] {
        require(raw != nullptr && raw_width > 0 && raw_height > 0, "expected a raw output map and its size");
        require(mask_out != nullptr && mask_width > 0 && mask_height > 0, "expected a mask buffer and size");
        cv::Mat target(mask_height, mask_width, CV_32F, mask_out);
        finish_probability_map(cv::Mat(raw_height, raw_width, CV_32F, const_cast<float *>(raw)).clone(),
                               apply_sigmoid != 0, target);
        return 0;
    });
}
