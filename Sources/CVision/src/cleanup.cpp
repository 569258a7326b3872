// Mask clean-up: drop foreground specks, fill enclosed holes that look like the product, keep
// enclosed holes that show the backdrop (mug handles, rings, chain links).
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace cvision;

namespace {

constexpr uint8_t kSolid = 127;       // alpha above this counts as foreground
constexpr uint8_t kTrace = 12;        // alpha above this connects a speck to its soft fringe
constexpr int kRingWidthDivisor = 200; // ring around a hole: ~0.5% of the long side

struct ColourSum {
    double r = 0, g = 0, b = 0;
    long count = 0;
    void add(const uint8_t *p) { r += p[0]; g += p[1]; b += p[2]; ++count; }
    cv::Vec3d mean() const { return count ? cv::Vec3d(r / count, g / count, b / count) : cv::Vec3d(); }
};

void remove_specks(cv::Mat &alpha, float min_fraction) {
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(alpha > kTrace, labels, stats, centroids, 8, CV_32S);
    if (count <= 2) return;
    int largest = 0;
    for (int i = 1; i < count; ++i) largest = std::max(largest, stats.at<int>(i, cv::CC_STAT_AREA));
    const double minimum = double(min_fraction) * largest;
    std::vector<uint8_t> drop(count, 0);
    bool any = false;
    for (int i = 1; i < count; ++i)
        if (stats.at<int>(i, cv::CC_STAT_AREA) < minimum) drop[i] = 1, any = true;
    if (!any) return;
    for (int y = 0; y < alpha.rows; ++y) {
        const int *l = labels.ptr<int>(y);
        uint8_t *a = alpha.ptr<uint8_t>(y);
        for (int x = 0; x < alpha.cols; ++x)
            if (drop[l[x]]) a[x] = 0;
    }
}

void fill_product_holes(const cv::Mat &image, cv::Mat &alpha) {
    const cv::Mat background = alpha <= kSolid;
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(background, labels, stats, centroids, 4, CV_32S);
    if (count <= 1) return;

    // Enclosed holes: background components that do not touch the image border.
    std::vector<uint8_t> enclosed(count, 0);
    int enclosed_count = 0;
    for (int i = 1; i < count; ++i) {
        const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        if (x > 0 && y > 0 && x + w < alpha.cols && y + h < alpha.rows) enclosed[i] = 1, ++enclosed_count;
    }
    if (enclosed_count == 0) return;

    // The backdrop's colour: the open background (touching the border) near the object.
    const int ring = std::max(2, std::max(alpha.cols, alpha.rows) / kRingWidthDivisor);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * ring + 1, 2 * ring + 1));
    cv::Mat foreground = alpha > kSolid, near_object;
    cv::dilate(foreground, near_object, kernel, cv::Point(-1, -1), 3);
    std::vector<ColourSum> hole(count);
    ColourSum open_background;
    for (int y = 0; y < alpha.rows; ++y) {
        const int *l = labels.ptr<int>(y);
        const uint8_t *p = image.ptr<uint8_t>(y), *near = near_object.ptr<uint8_t>(y);
        for (int x = 0; x < alpha.cols; ++x) {
            if (l[x] == 0) continue;
            if (enclosed[l[x]]) hole[l[x]].add(p + 3 * x);
            else if (near[x]) open_background.add(p + 3 * x);
        }
    }
    const bool has_backdrop = open_background.count > 0;
    const cv::Vec3d backdrop = open_background.mean();

    for (int i = 1; i < count; ++i) {
        if (!enclosed[i]) continue;
        const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                           stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
        const cv::Rect grown = (box + cv::Size(2 * ring + 2, 2 * ring + 2) - cv::Point(ring + 1, ring + 1)) &
                               cv::Rect(0, 0, alpha.cols, alpha.rows);
        cv::Mat mine = labels(grown) == i, around;
        cv::dilate(mine, around, kernel);
        around &= ~mine;
        around &= foreground(grown);
        // The product's colour right around the hole.
        ColourSum rim;
        for (int y = 0; y < grown.height; ++y) {
            const uint8_t *m = around.ptr<uint8_t>(y), *p = image.ptr<uint8_t>(grown.y + y) + 3 * grown.x;
            for (int x = 0; x < grown.width; ++x)
                if (m[x]) rim.add(p + 3 * x);
        }
        const cv::Vec3d inside = hole[i].mean();
        const double to_rim = rim.count ? cv::norm(inside - rim.mean()) : 1e9;
        const double to_backdrop = has_backdrop ? cv::norm(inside - backdrop) : 1e9;
        // Fill only a hole that is clearly product-coloured: closer to the rim than to the backdrop,
        // and visibly unlike the backdrop (noise and JPEG stay well under 20 levels).
        const bool product_coloured = to_rim < 0.5 * to_backdrop && to_backdrop > 20.0;
        if (!product_coloured) continue;
        cv::Mat fill;
        cv::dilate(mine, fill, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
        alpha(grown).setTo(255, fill);
    }
}

}  // namespace

extern "C" int cvision_clean_alpha(const uint8_t *rgb, int width, int height, size_t stride, uint8_t *alpha,
                                   float min_speck_fraction, cvision_status *status) {
    return guarded(status, "cleaning the mask", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(alpha != nullptr, "expected an alpha buffer but got NULL");
        require(min_speck_fraction >= 0 && min_speck_fraction <= 1, "expected a speck fraction between 0 and 1");
        cv::Mat mask(height, width, CV_8U, alpha);
        if (min_speck_fraction > 0) remove_specks(mask, min_speck_fraction);
        fill_product_holes(image, mask);
        return 0;
    });
}
