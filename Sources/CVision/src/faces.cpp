// Face detection with OpenCV's Viola-Jones cascades, tuned for precision: product photos are full of
// printed text, codes, logos and round things, and a face box on them is as wrong as a missed face.
//
// The cascades see only grey, and on a page of text they find "faces" that a second cascade happily
// confirms. What text, paper, codes and most packaging lack is skin: so the picture is first reduced
// to the places with skin-toned pixels (YCrCb), and only those places are scanned, at a finer
// resolution than a whole-picture scan could afford (a 47-pixel face in a 12 MP photo is ~15 pixels
// in a 1280-pixel copy, below the cascades' 24-pixel window). A hit then counts only when
//  - a second, differently trained cascade agrees on the same place (frontal Haar alt2, also on
//    copies turned by ±20° for tilted heads, by Haar's default cascade; the LBP profile scan, on the
//    region and its mirror, by Haar's profile cascade), and
//  - the middle of its box is mostly skin-toned.
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

constexpr int kDefaultDetailSide = 2560; // long side of the copy the skin regions are scanned at
constexpr int kMaskSide = 800;           // long side of the copy the skin regions are found in
constexpr double kRegionBudget = 1.0e6;  // pixels scanned per region at most (larger: coarser)
constexpr size_t kMaxRegions = 64;
constexpr int kMinFace = 24;             // the cascades' window, in scanned pixels
constexpr int kMinSkinBlob = 12;         // skin pixels in the mask copy: ~a 40-pixel face in 12 MP
constexpr double kMinSkinShare = 0.35;   // of the middle of a face box
constexpr int kMinSkinCr = 137;
constexpr int kMinSkinChroma = 20;      // Cr - Cb
constexpr double kMinSkinShading = 8;    // standard deviation of grey over a skin blob
constexpr int kFrontalNeighbours = 4;
constexpr double kFrontalStep = 1.15;
constexpr double kProfileStep = 1.2;
constexpr double kTilt = 20;             // degrees
constexpr int kConfirmNeighbours = 2;
constexpr int kProfileNeighbours = 4;

struct Candidate {
    cv::Rect box;  // in the input image's pixels
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

/// Skin-toned pixels (255) of an RGB image: the YCrCb box of Chai & Ngan (1999), not too dark, with
/// red chroma over blue by at least kMinSkinChroma. Without that margin beige, greige and kraft
/// backgrounds (Cr ~132, Cr - Cb ~10) leak in as speckle; the fixture's face has Cr 143-153 and
/// Cr - Cb 29-45.
cv::Mat skin_mask(const cv::Mat &rgb) {
    cv::Mat ycrcb, mask;
    cv::cvtColor(rgb, ycrcb, cv::COLOR_RGB2YCrCb);
    cv::inRange(ycrcb, cv::Scalar(40, kMinSkinCr, 77), cv::Scalar(255, 173, 127), mask);
    cv::Mat planes[3], chroma;
    cv::split(ycrcb, planes);
    cv::subtract(planes[1], planes[2], chroma);  // saturates at 0
    cv::Mat warm = chroma >= kMinSkinChroma;
    cv::bitwise_and(mask, warm, mask);
    return mask;
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

/// Whether the middle of `box` (where cheeks, nose and mouth are, not hair or background) is mostly
/// skin-toned.
bool skin_toned(const cv::Mat &skin, const cv::Rect &box) {
    const cv::Rect middle = cv::Rect(box.x + box.width / 4, box.y + box.height * 3 / 10, box.width / 2, box.height / 2) &
                            cv::Rect(0, 0, skin.cols, skin.rows);
    if (middle.area() == 0) return false;
    return cv::countNonZero(skin(middle)) >= kMinSkinShare * middle.area();
}

/// Confidence from a cascade's neighbour count: 0.5 at the acceptance threshold, towards 1 with more.
double confidence_of(int neighbours, int threshold) {
    return std::min(0.99, 1.0 - 0.5 * std::exp(-double(neighbours - threshold) / 8.0));
}

/// Places worth scanning: the bounding boxes of skin-toned blobs, widened by half their size (a face
/// box reaches beyond its skin: hair, ears, a shadowed side), merged where they overlap; in the input
/// image's pixels.
std::vector<cv::Rect> skin_regions(const cv::Mat &image) {
    const double shrink = std::min(1.0, double(kMaskSide) / std::max(image.cols, image.rows));
    cv::Mat small;
    if (shrink < 1.0) cv::resize(image, small, cv::Size(), shrink, shrink, cv::INTER_AREA);
    else small = image;
    // Opening removes the thin seams of skin-like colour that JPEG leaves where a red or orange edge
    // meets a pale one (a card's whole outline, otherwise); a face's skin is blobs.
    cv::Mat skin = skin_mask(small);
    cv::morphologyEx(skin, skin, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    cv::Mat grey, labels, stats, centroids;
    cv::cvtColor(small, grey, cv::COLOR_RGB2GRAY);
    const int count = cv::connectedComponentsWithStats(skin, labels, stats, centroids, 8, CV_32S);
    const cv::Rect whole(0, 0, image.cols, image.rows);
    std::vector<cv::Rect> regions;
    for (int i = 1; i < count; ++i) {
        if (stats.at<int>(i, cv::CC_STAT_AREA) < kMinSkinBlob) continue;
        const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        // Skin is shaded (nose, cheeks, chin); kraft board and tan packaging are flat.
        const cv::Rect blob(x, y, w, h);
        cv::Scalar mean, deviation;
        cv::meanStdDev(grey(blob), mean, deviation, labels(blob) == i);
        if (deviation[0] < kMinSkinShading) continue;
        const int pad = std::max(w, h) / 2 + 2;
        const cv::Rect box(int((x - pad) / shrink), int((y - pad) / shrink), int((w + 2 * pad) / shrink),
                           int((h + 2 * pad) / shrink));
        regions.push_back(box & whole);
    }
    // Merge until no two overlap; a picture with very many skin-toned blobs is scanned as one region.
    if (regions.size() > kMaxRegions) {
        cv::Rect all = regions[0];
        for (const auto &region : regions) all |= region;
        return {all};
    }
    for (bool merged = true; merged;) {
        merged = false;
        for (size_t i = 0; i < regions.size() && !merged; ++i) {
            for (size_t j = i + 1; j < regions.size() && !merged; ++j) {
                if ((regions[i] & regions[j]).area() > 0) {
                    regions[i] |= regions[j];
                    regions.erase(regions.begin() + long(j));
                    merged = true;
                }
            }
        }
    }
    return regions;
}

/// One region, scanned: its grey copy (equalised) and skin mask at `scale` of the input's pixels.
struct Region {
    cv::Rect area;  // in the input image's pixels
    double scale;
    cv::Mat grey, skin;

    cv::Rect to_input(const cv::Rect &box) const {
        return cv::Rect(area.x + int(std::lround(box.x / scale)), area.y + int(std::lround(box.y / scale)),
                        int(std::lround(box.width / scale)), int(std::lround(box.height / scale)));
    }
};

/// Frontal faces, upright and tilted by about ±20° (a head on one side), which the upright cascades
/// miss beyond ~12°: for those the region is turned upright.
void add_frontal_faces(cvision_face_detector &detector, const Region &region, std::vector<Candidate> &candidates) {
    const cv::Point2f centre(region.grey.cols / 2.0f, region.grey.rows / 2.0f);
    for (const double degrees : {0.0, kTilt, -kTilt}) {
        cv::Mat turn = cv::getRotationMatrix2D(centre, degrees, 1.0);
        cv::Mat grey, skin;  // new buffers: warpAffine cannot work in place
        if (degrees != 0) {
            cv::warpAffine(region.grey, grey, turn, region.grey.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
            cv::warpAffine(region.skin, skin, turn, region.skin.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT);
        } else {
            grey = region.grey;
            skin = region.skin;
        }
        std::vector<cv::Rect> boxes;
        std::vector<int> neighbours;
        detector.frontal.detectMultiScale(grey, boxes, neighbours, kFrontalStep, kFrontalNeighbours, 0,
                                          cv::Size(kMinFace, kMinFace));
        cv::Mat back;
        cv::invertAffineTransform(turn, back);
        for (size_t i = 0; i < boxes.size(); ++i) {
            if (!skin_toned(skin, boxes[i])) continue;
            if (detector.has_confirm && !confirmed(detector.confirm, grey, boxes[i])) continue;
            // The upright box's centre, turned back; an axis-aligned box of the same size around it.
            const cv::Point2f c(boxes[i].x + boxes[i].width / 2.0f, boxes[i].y + boxes[i].height / 2.0f);
            const double x = back.at<double>(0, 0) * c.x + back.at<double>(0, 1) * c.y + back.at<double>(0, 2);
            const double y = back.at<double>(1, 0) * c.x + back.at<double>(1, 1) * c.y + back.at<double>(1, 2);
            const int size = boxes[i].width;
            const cv::Rect box(int(std::lround(x - size / 2.0)), int(std::lround(y - size / 2.0)), size, size);
            const double weight = degrees == 0 ? 1.0 : 0.95;
            candidates.push_back({region.to_input(box), weight * confidence_of(neighbours[i], kFrontalNeighbours)});
        }
    }
}

/// Profiles, on the region and its mirror for faces turned either way.
void add_profiles(cvision_face_detector &detector, const Region &region, std::vector<Candidate> &candidates) {
    cv::Mat mirrored, mirrored_skin;
    cv::flip(region.grey, mirrored, 1);
    cv::flip(region.skin, mirrored_skin, 1);
    for (int side = 0; side < 2; ++side) {
        const cv::Mat &grey = side == 0 ? region.grey : mirrored;
        const cv::Mat &skin = side == 0 ? region.skin : mirrored_skin;
        std::vector<cv::Rect> boxes;
        std::vector<int> neighbours;
        detector.profile.detectMultiScale(grey, boxes, neighbours, kProfileStep, kProfileNeighbours, 0,
                                          cv::Size(kMinFace, kMinFace));
        for (size_t i = 0; i < boxes.size(); ++i) {
            cv::Rect box = boxes[i];
            if (!skin_toned(skin, box)) continue;
            if (detector.has_profile_confirm && !confirmed(detector.profile_confirm, grey, box)) continue;
            if (side == 1) box.x = grey.cols - box.x - box.width;
            // A profile cascade alone is weaker evidence than two agreeing frontal ones.
            candidates.push_back({region.to_input(box), 0.9 * confidence_of(neighbours[i], kProfileNeighbours)});
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
        const int side = working_side > 0 ? working_side : kDefaultDetailSide;
        const double detail = std::min(1.0, double(side) / std::max(width, height));

        std::vector<Candidate> candidates;
        for (const cv::Rect &area : skin_regions(image)) {
            const double scale = std::min(detail, std::sqrt(kRegionBudget / area.area()));
            if (area.width * scale < kMinFace || area.height * scale < kMinFace) continue;
            Region region{area, scale, {}, {}};
            cv::Mat colour;
            if (scale < 1.0) cv::resize(image(area), colour, cv::Size(), scale, scale, cv::INTER_AREA);
            else colour = image(area);
            cv::cvtColor(colour, region.grey, cv::COLOR_RGB2GRAY);
            cv::equalizeHist(region.grey, region.grey);
            region.skin = skin_mask(colour);
            add_frontal_faces(*detector, region, candidates);
            if (detector->has_profile) add_profiles(*detector, region, candidates);
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
            faces_out[i] = {float(box.x), float(box.y), float(box.width), float(box.height), float(kept[i].confidence)};
        }
        return int(kept.size());
    });
}
