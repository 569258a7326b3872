// Fusion of the network's alpha with the backdrop-difference alpha (studio shots only: the caller
// runs this when cvision_backdrop_alpha returned 1).
#include "CVision.h"
#include "resample.hpp"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

using namespace cvision;

namespace {

constexpr double kMinAgreement = 0.2;   // share of a backdrop region the network must cover to admit it
constexpr double kEvidence = 0.04 * 255;  // mean raw network probability that admits a faint region
constexpr double kMarginFraction = 0.03; // how far beyond the network's object the backdrop cue may add

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
            const uint8_t *n = near.ptr<uint8_t>(std::min(low_size.height - 1, int(int64_t(y) * low_size.height / height)));
            uint8_t *a = network.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x) {
                if (m[x] && n[near_column[x]]) a[x] = std::max(a[x], d[x]);
            }
        }
        return 0;
    });
}
