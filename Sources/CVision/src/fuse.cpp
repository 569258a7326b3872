// Fusion of the network's alpha with the backdrop-difference alpha (studio shots only: the caller
// runs this when cvision_backdrop_alpha returned 1).
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

using namespace cvision;

namespace {

constexpr double kMinAgreement = 0.2;   // share of a backdrop region the network must cover to admit it
constexpr double kMarginFraction = 0.03; // how far beyond the network's object the backdrop cue may add

}  // namespace

extern "C" int cvision_fuse_alpha(const uint8_t *rgb, int width, int height, size_t stride, uint8_t *alpha,
                                  const uint8_t *backdrop_alpha, cvision_status *status) {
    return guarded(status, "fusing the masks", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(alpha != nullptr && backdrop_alpha != nullptr, "expected alpha and backdrop alpha buffers");
        cv::Mat network(height, width, CV_8U, alpha);
        const cv::Mat difference(height, width, CV_8U, const_cast<uint8_t *>(backdrop_alpha));

        const cv::Mat object = network > 127;
        if (cv::countNonZero(object) == 0) return 0;  // nothing to anchor the backdrop cue to

        // Backdrop-difference regions the network agrees with, at least in part.
        cv::Mat labels, stats, centroids;
        const int count = cv::connectedComponentsWithStats(difference > 127, labels, stats, centroids, 8, CV_32S);
        std::vector<int> overlap(count, 0);
        for (int y = 0; y < height; ++y) {
            const int *l = labels.ptr<int>(y);
            const uint8_t *o = object.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x)
                if (l[x] && o[x]) ++overlap[l[x]];
        }
        std::vector<uint8_t> admitted(count, 0);
        for (int i = 1; i < count; ++i)
            admitted[i] = overlap[i] >= kMinAgreement * stats.at<int>(i, cv::CC_STAT_AREA);

        // Near the network's object only: a shadow or a second item further away stays out.
        const int margin = std::max(3, int(kMarginFraction * std::max(width, height)));
        cv::Mat near;
        cv::dilate(object, near, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1)));
        // The soft edge of an admitted region belongs to it too: grow the admitted set a little.
        cv::Mat admitted_mask(height, width, CV_8U);
        for (int y = 0; y < height; ++y) {
            const int *l = labels.ptr<int>(y);
            uint8_t *m = admitted_mask.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x) m[x] = admitted[l[x]] ? 255 : 0;
        }
        cv::dilate(admitted_mask, admitted_mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7)));
        admitted_mask &= near;

        for (int y = 0; y < height; ++y) {
            const uint8_t *d = difference.ptr<uint8_t>(y), *m = admitted_mask.ptr<uint8_t>(y);
            uint8_t *a = network.ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x) {
                if (m[x]) a[x] = std::max(a[x], d[x]);
                else if (a[x] > 0 && !(near.ptr<uint8_t>(y)[x])) a[x] = a[x];
            }
        }
        return 0;
    });
}
