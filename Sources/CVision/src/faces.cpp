// Face detection with OpenCV's Viola-Jones cascades, tuned for precision: product photos are full of
// printed patterns, logos and round things, and a face box on them is as wrong as a missed face.
// A hit counts only when a second, differently trained cascade agrees on the same place: the frontal
// scan (Haar alt2, also on copies turned by ±20° for tilted heads) is confirmed by Haar's default
// cascade, the profile scan (LBP, on the image and its mirror for faces turned either way) by Haar's
// profile cascade; the confirming cascades look only around each hit.
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
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
// Scale steps of the scans over the whole picture: the 0.5 s budget for a 12 MP photo (barcodes and
// faces on 2 cores) allows ~1.15 for the frontal scan and ~1.2 for the two profile scans; the
// confirming cascades look only around each hit, in finer steps.
constexpr double kFrontalStep = 1.15;
constexpr double kProfileStep = 1.2;
constexpr int kTiltedSide = 640;         // long side of the tilted scans
constexpr double kTilt = 20;             // degrees
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

/// Frontal faces tilted by about ±20° (a head on one side), which the upright cascades miss beyond
/// ~12°: the picture is turned upright for them, at a lower resolution to keep within the budget.
void add_tilted_faces(cvision_face_detector &detector, const cv::Mat &grey, std::vector<Candidate> &candidates) {
    const double shrink = std::min(1.0, double(kTiltedSide) / std::max(grey.cols, grey.rows));
    cv::Mat small;
    if (shrink < 1.0) cv::resize(grey, small, cv::Size(), shrink, shrink, cv::INTER_AREA);
    else small = grey;
    const cv::Point2f centre(small.cols / 2.0f, small.rows / 2.0f);
    for (const double degrees : {kTilt, -kTilt}) {
        const cv::Mat turn = cv::getRotationMatrix2D(centre, degrees, 1.0);
        cv::Mat turned;
        cv::warpAffine(small, turned, turn, small.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        std::vector<cv::Rect> boxes;
        std::vector<int> neighbours;
        detector.frontal.detectMultiScale(turned, boxes, neighbours, kProfileStep, kFrontalNeighbours, 0,
                                          cv::Size(kMinFace, kMinFace));
        cv::Mat back;
        cv::invertAffineTransform(turn, back);
        for (size_t i = 0; i < boxes.size(); ++i) {
            if (detector.has_confirm && !confirmed(detector.confirm, turned, boxes[i])) continue;
            // The upright box's centre, turned back; an axis-aligned box of the same size around it.
            const cv::Point2f c(boxes[i].x + boxes[i].width / 2.0f, boxes[i].y + boxes[i].height / 2.0f);
            const double x = back.at<double>(0, 0) * c.x + back.at<double>(0, 1) * c.y + back.at<double>(0, 2);
            const double y = back.at<double>(1, 0) * c.x + back.at<double>(1, 1) * c.y + back.at<double>(1, 2);
            const double size = boxes[i].width / shrink;
            const cv::Rect box(int(std::lround(x / shrink - size / 2)), int(std::lround(y / shrink - size / 2)),
                               int(std::lround(size)), int(std::lround(size)));
            candidates.push_back({box, 0.95 * confidence_of(neighbours[i], kFrontalNeighbours)});
        }
    }
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
        detector->frontal.detectMultiScale(grey, boxes, neighbours, kFrontalStep, kFrontalNeighbours, 0,
                                           cv::Size(kMinFace, kMinFace));
        for (size_t i = 0; i < boxes.size(); ++i) {
            if (detector->has_confirm && !confirmed(detector->confirm, grey, boxes[i])) continue;
            candidates.push_back({boxes[i], confidence_of(neighbours[i], kFrontalNeighbours)});
        }
        add_tilted_faces(*detector, grey, candidates);
        if (detector->has_profile) {
            cv::Mat mirrored;
            cv::flip(grey, mirrored, 1);
            for (int side_index = 0; side_index < 2; ++side_index) {
                boxes.clear();
                neighbours.clear();
                detector->profile.detectMultiScale(side_index == 0 ? grey : mirrored, boxes, neighbours, kProfileStep,
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
