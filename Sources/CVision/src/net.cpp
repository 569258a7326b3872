// Segmentation network: OpenCV DNN over an ONNX file, with rembg's pre- and post-processing.
#include "CVision.h"
#include "status.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <memory>
#include <string>

struct cvision_net {
    cv::dnn::Net net;
};

using namespace cvision;

extern "C" cvision_net *cvision_net_load(const char *onnx_path, int threads, cvision_status *status) {
    cvision_net *result = nullptr;
    guarded(status, "loading the model", [&] {
        require(onnx_path != nullptr && onnx_path[0] != '\0', "expected a model path but got none");
        if (threads > 0) cv::setNumThreads(threads);
        auto net = std::make_unique<cvision_net>();
        try {
            net->net = cv::dnn::readNetFromONNX(onnx_path);
        } catch (const cv::Exception &) {
            // OpenCV's message repeats the path; say it once, without parser internals.
            throw ModelError("the file is not a readable ONNX model");
        }
        if (net->net.empty()) throw ModelError("the file holds no network");
        net->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        result = net.release();
        return 0;
    });
    return result;
}

extern "C" void cvision_net_free(cvision_net *net) { delete net; }

namespace {

/// The network input as rembg builds it: resize (LANCZOS there; INTER_AREA when shrinking here, which
/// is as sharp and alias-free), scale by the image max or 255, per-channel mean/std, NCHW float.
cv::Mat make_blob(const cv::Mat &rgb, const cvision_model_spec &spec) {
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
    cv::Mat blob(std::vector<int>{1, 3, size.height, size.width}, CV_32F);
    float *data = blob.ptr<float>();
    for (int c = 0; c < 3; ++c) {
        const float a = float(1.0 / (scale * spec.std[c]));
        const float b = -spec.mean[c] / spec.std[c];
        float *out = data + c * plane;
        for (int y = 0; y < size.height; ++y) {
            const uint8_t *row = resized.ptr<uint8_t>(y);
            for (int x = 0; x < size.width; ++x) out[y * size.width + x] = row[x * 3 + c] * a + b;
        }
    }
    return blob;
}

}  // namespace

extern "C" int cvision_net_predict(cvision_net *net, const cvision_model_spec *spec, const uint8_t *rgb,
                                   int width, int height, size_t stride, float *mask_out, int mask_width,
                                   int mask_height, cvision_status *status) {
    return guarded(status, "running the model", [&] {
        require(net != nullptr, "expected a loaded model but got NULL");
        require(spec != nullptr, "expected a model spec but got NULL");
        require(spec->input_width > 0 && spec->input_height > 0 && spec->input_width <= 4096 &&
                    spec->input_height <= 4096,
                "expected an input size between 1 and 4096");
        for (int c = 0; c < 3; ++c) require(spec->std[c] != 0, "expected a non-zero std for every channel");
        require(mask_out != nullptr && mask_width > 0 && mask_height > 0, "expected a mask buffer and size");
        cv::Mat image = wrap_rgb(rgb, width, height, stride);

        cv::Mat blob = make_blob(image, *spec);
        cv::Mat output;
        try {
            net->net.setInput(blob, spec->input_name ? spec->input_name : "");
            output = spec->output_name ? net->net.forward(spec->output_name) : net->net.forward();
        } catch (const cv::Exception &error) {
            throw ModelError(std::string("the forward pass failed: ") + error.err);
        }
        // Expect [1, 1, H, W] (or [1, H, W]); take the first plane.
        if (output.dims < 2) throw ModelError("the output is not a 2D map");
        const int out_h = output.size[output.dims - 2], out_w = output.size[output.dims - 1];
        if (output.total() < size_t(out_h) * out_w) throw ModelError("the output is smaller than its shape");
        cv::Mat map(out_h, out_w, CV_32F, output.ptr<float>());
        map = map.clone();
        if (spec->apply_sigmoid) {
            cv::exp(-map, map);
            map = 1.0 / (1.0 + map);
        }
        double lo = 0, hi = 0;
        cv::minMaxLoc(map, &lo, &hi);
        if (!std::isfinite(lo) || !std::isfinite(hi)) throw ModelError("the output holds non-finite values");
        if (hi - lo > 1e-12) map = (map - lo) / (hi - lo);
        else map.setTo(0);

        cv::Mat target(mask_height, mask_width, CV_32F, mask_out);
        if (out_w == mask_width && out_h == mask_height) map.copyTo(target);
        else cv::resize(map, target, target.size(), 0, 0, cv::INTER_LINEAR);
        return 0;
    });
}
