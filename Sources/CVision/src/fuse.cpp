// Fusion of the network's alpha with the backdrop-difference alpha (studio shots only: the caller
// runs this when cvision_backdrop_alpha returned 1).
#include "CVision.h"
#include "backdrop_model.hpp"
#include "resample.hpp"
#include "status.hpp"
#include "transparency.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

using namespace cvision;

namespace {

constexpr double kMinAgreement = 0.2;   // share of a backdrop region the network must cover to admit it
constexpr double kEvidence = 0.04 * 255;  // mean raw network probability that admits a faint region
constexpr double kMarginFraction = 0.03; // how far beyond the network's object the backdrop cue may add
constexpr float kShadowChroma = 4.0f;     // levels of colour shift a shadow may show beside its darkening
constexpr float kShadowDetail = 3.0f;     // levels of local detail a shadow may show (it is smooth)

/// Pixels (of a working-size copy) that look like a shadow on the backdrop: darker than the fitted
/// backdrop by a common factor (same hue and chroma, within noise) and smooth — no edge or thin
/// structure of their own. A grey product's outline or a dark wire is not smooth, so it still counts.
cv::Mat shadow_like(const cv::Mat &small, const cv::Mat &backdrop) {
    const cv::Size size = small.size();
    // Is the colour a darkened backdrop: I = k·B with k < 1, up to a small colour shift?
    auto darkened = [](const cv::Vec3f &i, const cv::Vec3f &b) {
        const float bb = b.dot(b);
        const float k = bb > 1 ? i.dot(b) / bb : 1;
        return k < 0.99f && float(cv::norm(i - k * b)) <= kShadowChroma + 0.12f * float(cv::norm(i - b));
    };
    cv::Mat weight(size, CV_32F);
    for (int y = 0; y < size.height; ++y) {
        const cv::Vec3f *i = small.ptr<cv::Vec3f>(y), *b = backdrop.ptr<cv::Vec3f>(y);
        float *w = weight.ptr<float>(y);
        for (int x = 0; x < size.width; ++x) w[x] = darkened(i[x], b[x]) || cv::norm(i[x] - b[x]) < 2 * kShadowChroma ? 1.0f : 0.0f;
    }
    // Local means over shadow-coloured pixels only, so a product edge beside the shadow (another
    // colour) does not count as the shadow's own detail.
    const double unit = std::max(size.width, size.height) / 1024.0;
    cv::Mat weight3;
    cv::merge(std::vector<cv::Mat>{weight, weight, weight}, weight3);
    const cv::Mat weighted = small.mul(weight3);
    auto normalise = [](const cv::Mat &sum, const cv::Mat &norm) { return cv::Mat(sum / (norm + cv::Scalar::all(1e-4))); };
    cv::Mat sum, norm;
    cv::GaussianBlur(weighted, sum, cv::Size(), std::max(0.6, 1.0 * unit));
    cv::GaussianBlur(weight3, norm, cv::Size(), std::max(0.6, 1.0 * unit));
    const cv::Mat fine = normalise(sum, norm);
    // The wide one: two box passes (σ ≈ 5 px), cheap at any radius.
    const int box = std::max(3, int(std::lround(6 * unit))) | 1;
    cv::boxFilter(weighted, sum, -1, cv::Size(box, box));
    cv::boxFilter(sum, sum, -1, cv::Size(box, box));
    cv::boxFilter(weight3, norm, -1, cv::Size(box, box));
    cv::boxFilter(norm, norm, -1, cv::Size(box, box));
    const cv::Mat coarse = normalise(sum, norm);
    cv::Mat result(size, CV_8U);
    for (int y = 0; y < size.height; ++y) {
        const cv::Vec3f *f = fine.ptr<cv::Vec3f>(y), *c = coarse.ptr<cv::Vec3f>(y), *b = backdrop.ptr<cv::Vec3f>(y);
        const float *w = weight.ptr<float>(y);
        uint8_t *out = result.ptr<uint8_t>(y);
        for (int x = 0; x < size.width; ++x) {
            const float difference = float(cv::norm(f[x] - b[x]));
            out[x] = w[x] > 0 && darkened(f[x], b[x]) && float(cv::norm(f[x] - c[x])) <= kShadowDetail + 0.12f * difference ? 255 : 0;
        }
    }
    // A soft product edge over a shadow mixes both: leave the shadow's fringe to the network too.
    // Only broad shadows (an opening drops the faint halo of a thin wire, which is smooth and grey
    // as well) are grown.
    const int grow = std::max(1, int(std::lround(3 * unit)));
    const cv::Mat disc = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * grow + 1, 2 * grow + 1));
    cv::Mat broad;
    cv::morphologyEx(result, broad, cv::MORPH_OPEN, disc);
    cv::dilate(broad, broad, disc);
    return result | broad;
}

}  // namespace

extern "C" int cvision_fuse_alpha(const uint8_t *rgb, int width, int height, size_t stride, uint8_t *alpha,
                                  const uint8_t *backdrop_alpha, const float *coarse, int coarse_w,
                                  int coarse_h, cvision_status *status) {
    return guarded(status, "fusing the masks", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(alpha != nullptr && backdrop_alpha != nullptr, "expected alpha and backdrop alpha buffers");
        cv::Mat network(height, width, CV_8U, alpha);
        const cv::Mat difference(height, width, CV_8U, const_cast<uint8_t *>(backdrop_alpha));

        require(coarse != nullptr && coarse_w > 0 && coarse_h > 0, "expected the coarse network map and its size");
        const cv::Mat object = network > 127;
        // The network's own evidence at full size (8-bit): faint wires live only here.
        cv::Mat evidence;
        cv::Mat(coarse_h, coarse_w, CV_32F, const_cast<float *>(coarse)).convertTo(evidence, CV_8U, 255.0);
        cv::resize(evidence, evidence, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        cv::Mat anchor = object | (evidence > kEvidence);
        if (cv::countNonZero(anchor) == 0) return 0;  // nothing to anchor the backdrop cue to

        // Backdrop-difference regions the network agrees with, at least in part.
        cv::Mat labels, stats, centroids;
        const int count = cv::connectedComponentsWithStats(difference > 127, labels, stats, centroids, 8, CV_32S);
        std::vector<int> overlap(count, 0);
        std::vector<double> probability(count, 0.0);
        for (int y = 0; y < height; ++y) {
            const int *l = labels.ptr<int>(y);
            const uint8_t *o = object.ptr<uint8_t>(y), *e = evidence.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x) {
                if (!l[x]) continue;
                if (o[x]) ++overlap[l[x]];
                probability[l[x]] += e[x];
            }
        }
        std::vector<uint8_t> admitted(count, 0);
        for (int i = 1; i < count; ++i) {
            const double area = stats.at<int>(i, cv::CC_STAT_AREA);
            admitted[i] = overlap[i] >= kMinAgreement * area || probability[i] >= kEvidence * area;
        }

        // Near the network's object only: a shadow or a second item further away stays out. The
        // margin is wide, so it is grown on a small copy and looked up per pixel.
        const cv::Size low_size = working_size(width, height, 1024);
        cv::Mat near;
        cv::resize(anchor, near, low_size, 0, 0, cv::INTER_AREA);
        near = near > 0;
        const int margin = std::max(2, int(kMarginFraction * std::max(low_size.width, low_size.height)));
        cv::dilate(near, near, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1)));
        // Shadows on the backdrop differ from it too, but are never added.
        cv::Mat small;
        cv::resize(image, small, low_size, 0, 0, cv::INTER_AREA);
        const BackdropModel model = fit_backdrop(small);
        const cv::Mat backdrop = surface_map(model.surface, low_size);
        small.convertTo(small, CV_32FC3);
        const cv::Mat shadow = shadow_like(small, backdrop);
        std::vector<int> near_column(width);
        for (int x = 0; x < width; ++x) near_column[x] = std::min(low_size.width - 1, int(int64_t(x) * low_size.width / width));
        // The soft edge of an admitted region belongs to it too: grow the admitted set a little.
        cv::Mat admitted_mask(height, width, CV_8U);
        for (int y = 0; y < height; ++y) {
            const int *l = labels.ptr<int>(y);
            uint8_t *m = admitted_mask.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x) m[x] = admitted[l[x]] ? 255 : 0;
        }
        cv::dilate(admitted_mask, admitted_mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7)));

        for (int y = 0; y < height; ++y) {
            const uint8_t *d = difference.ptr<uint8_t>(y), *m = admitted_mask.ptr<uint8_t>(y);
            const int low_y = std::min(low_size.height - 1, int(int64_t(y) * low_size.height / height));
            const uint8_t *n = near.ptr<uint8_t>(low_y), *s = shadow.ptr<uint8_t>(low_y);
            uint8_t *a = network.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x) {
                if (m[x] && n[near_column[x]] && (a[x] > 127 || !s[near_column[x]])) a[x] = std::max(a[x], d[x]);
            }
        }
        // Glass: the backdrop seen through a clear body gives it partial alpha.
        apply_transparency(image, network, model.surface, small, backdrop);
        return 0;
    });
}
