// Face detection with OpenCV's Viola-Jones cascades, tuned for precision: product photos are full of
// printed patterns, logos and round things, and a face box on them is as wrong as a missed face.
// A hit counts only when a second, differently trained cascade agrees on the same place: fast LBP
// cascades scan the image, Haar cascades confirm around each hit (frontal; profile on the image and
// its mirror, for faces turned either way).
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace cvision;

struct cvision_face_detector {
    cv::CascadeClassifier frontal;
    cv::CascadeClassifier confirm;
    cv::CascadeClassifier profile;
    cv::CascadeClassifier profile_confirm;
    bool has_confirm = false;
    bool has_profile = false;
    bool has_profile_confirm = false;
};

namespace {

constexpr int kDefaultWorkingSide = 1280;
constexpr int kMinFace = 24;             // the cascades' window, in working pixels
constexpr int kFrontalNeighbours = 4;
constexpr int kConfirmNeighbours = 2;
constexpr int kProfileNeighbours = 4;

struct Candidate {
    cv::Rect box;
    double confidence;
};

void load(cv::CascadeClassifier &cascade, const char *path) {
    bool loaded = false;
    try {
        loaded = cascade.load(path);
    } catch (const cv::Exception &) {
        loaded = false;
    }
    if (!loaded || cascade.empty()) throw ModelError(std::string("cannot load the cascade ") + path);
}

double overlap(const cv::Rect &a, const cv::Rect &b) {
    const double inter = (a & b).area();
    return inter / std::min(a.area(), b.area());
}

/// Whether the confirming cascade finds a face of about the same size around `box`.
bool confirmed(cv::CascadeClassifier &cascade, const cv::Mat &grey, const cv::Rect &box) {
    const int pad = box.width / 3;
    const cv::Rect around = cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad) &
                            cv::Rect(0, 0, grey.cols, grey.rows);
    std::vector<cv::Rect> hits;
    const int low = std::max(kMinFace, int(box.width * 0.6)), high = int(box.width * 1.5);
    cascade.detectMultiScale(grey(around), hits, 1.05, kConfirmNeighbours, 0, cv::Size(low, low), cv::Size(high, high));
    for (auto hit : hits) {
        hit += around.tl();
        if (overlap(hit, box) > 0.5) return true;
    }
    return false;
}

/// Confidence from a cascade's neighbour count: 0.5 at the acceptance threshold, towards 1 with more.
double confidence_of(int neighbours, int threshold) {
    return std::min(0.99, 1.0 - 0.5 * std::exp(-double(neighbours - threshold) / 8.0));
}

}  // namespace

extern "C" cvision_face_detector *cvision_face_detector_load(const char *frontal_path, const char *confirm_path,
                                                             const char *profile_path, const char *profile_confirm_path,
                                                             cvision_status *status) {
    cvision_face_detector *result = nullptr;
    guarded(status, "load face detector", [&] {
        require(frontal_path != nullptr, "expected a frontal cascade path but got NULL");
        auto detector = std::make_unique<cvision_face_detector>();
        load(detector->frontal, frontal_path);
        if (confirm_path) {
            load(detector->confirm, confirm_path);
            detector->has_confirm = true;
        }
        if (profile_path) {
            load(detector->profile, profile_path);
            detector->has_profile = true;
        }
        if (profile_path && profile_confirm_path) {
            load(detector->profile_confirm, profile_confirm_path);
            detector->has_profile_confirm = true;
        }
        result = detector.release();
        return 0;
    });
    return result;
}

extern "C" void cvision_face_detector_free(cvision_face_detector *detector) { delete detector; }

extern "C" int cvision_detect_faces(cvision_face_detector *detector, const uint8_t *rgb, int width, int height,
                                    size_t stride, int working_side, cvision_face *faces_out, int capacity,
                                    cvision_status *status) {
    return guarded(status, "detect faces", [&] {
        require(detector != nullptr, "expected a face detector but got NULL");
        require(capacity == 0 || faces_out != nullptr, "expected an output array but got NULL");
        const cv::Mat image = wrap_rgb(rgb, width, height, stride);
        const int side = working_side > 0 ? working_side : kDefaultWorkingSide;
        const double scale = std::min(1.0, double(side) / std::max(width, height));
        cv::Mat grey;
        if (scale < 1.0) {
            cv::Mat small;
            cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_AREA);
            cv::cvtColor(small, grey, cv::COLOR_RGB2GRAY);
        } else {
            cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
        }
        cv::equalizeHist(grey, grey);

        std::vector<Candidate> candidates;
        std::vector<cv::Rect> boxes;
        std::vector<int> neighbours;
        detector->frontal.detectMultiScale(grey, boxes, neighbours, 1.1, kFrontalNeighbours, 0,
                                           cv::Size(kMinFace, kMinFace));
        for (size_t i = 0; i < boxes.size(); ++i) {
            if (detector->has_confirm && !confirmed(detector->confirm, grey, boxes[i])) continue;
            candidates.push_back({boxes[i], confidence_of(neighbours[i], kFrontalNeighbours)});
        }
        if (detector->has_profile) {
            cv::Mat mirrored;
            cv::flip(grey, mirrored, 1);
            for (int side_index = 0; side_index < 2; ++side_index) {
                boxes.clear();
                neighbours.clear();
                detector->profile.detectMultiScale(side_index == 0 ? grey : mirrored, boxes, neighbours, 1.1,
                                                   kProfileNeighbours, 0, cv::Size(kMinFace, kMinFace));
                for (size_t i = 0; i < boxes.size(); ++i) {
                    cv::Rect box = boxes[i];
                    if (detector->has_profile_confirm &&
                        !confirmed(detector->profile_confirm, side_index == 0 ? grey : mirrored, box))
                        continue;
                    if (side_index == 1) box.x = grey.cols - box.x - box.width;
                    // A profile cascade alone is weaker evidence than two agreeing frontal ones.
                    candidates.push_back({box, 0.9 * confidence_of(neighbours[i], kProfileNeighbours)});
                }
            }
        }

        // One box per face: the most confident of overlapping ones.
        std::sort(candidates.begin(), candidates.end(),
                  [](const Candidate &a, const Candidate &b) { return a.confidence > b.confidence; });
        std::vector<Candidate> kept;
        for (const auto &candidate : candidates) {
            bool duplicate = false;
            for (const auto &k : kept) duplicate = duplicate || overlap(k.box, candidate.box) > 0.4;
            if (!duplicate) kept.push_back(candidate);
        }
        const int written = std::min(capacity, int(kept.size()));
        for (int i = 0; i < written; ++i) {
            const cv::Rect &box = kept[i].box;
            faces_out[i] = {float(box.x / scale), float(box.y / scale), float(box.width / scale),
                            float(box.height / scale), float(kept[i].confidence)};
        }
        return int(kept.size());
    });
}
