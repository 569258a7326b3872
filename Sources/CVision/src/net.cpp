// Segmentation network: OpenCV DNN over an ONNX file, with rembg's pre- and post-processing.
#include "CVision.h"
#include "status.hpp"
#include "tensor.hpp"

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


extern "C" int cvision_net_predict(cvision_net *net, const cvision_model_spec *spec, const uint8_t *rgb,
                                   int width, int height, size_t stride, float *mask_out, int mask_width,
                                   int mask_height, cvision_status *status) {
    return guarded(status, "running the model", [&] {
        require(net != nullptr, "expected a loaded model but got NULL");
        require_valid_spec(spec);
        require(mask_out != nullptr && mask_width > 0 && mask_height > 0, "expected a mask buffer and size");
        cv::Mat image = wrap_rgb(rgb, width, height, stride);

        cv::Mat blob(std::vector<int>{1, 3, spec->input_height, spec->input_width}, CV_32F);
        fill_input_tensor(image, *spec, blob.ptr<float>());
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
        cv::Mat target(mask_height, mask_width, CV_32F, mask_out);
        finish_probability_map(cv::Mat(out_h, out_w, CV_32F, output.ptr<float>()).clone(), spec->apply_sigmoid != 0, target);
        return 0;
    });
}
