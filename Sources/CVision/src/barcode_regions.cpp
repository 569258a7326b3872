// Barcode localisation by gradient energy: bars and modules make dense, strong gradients that survive
// averaging into a coarse map, while smooth backgrounds and single object edges do not.
#include "barcode_regions.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cvision {

namespace {

constexpr int kMapSide = 640;          // long side of the coarse energy map
constexpr int kHalveAbove = 2400;      // measure gradients on a half-size copy above this long side
constexpr double kMinEnergy = 24;      // mean |gx|+|gy| (scaled to 0..255 per level step) of a region
constexpr double kMinFill = 0.45;      // region area / its rotated rectangle's area

}  // namespace

std::vector<cv::RotatedRect> barcode_regions(const cv::Mat &grey, int limit) {
    const int long_side = std::max(grey.cols, grey.rows);
    cv::Mat source = grey;
    double to_source = 1.0;
    if (long_side > kHalveAbove) {
        // Half size keeps 2-px modules at 1 px, still a full-contrast alternation for the gradients.
        cv::resize(grey, source, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
        to_source = 0.5;
    }
    cv::Mat gx, gy, energy;
    cv::Sobel(source, gx, CV_16S, 1, 0, 3);
    cv::Sobel(source, gy, CV_16S, 0, 1, 3);
    cv::convertScaleAbs(gx, gx, 0.25);
    cv::convertScaleAbs(gy, gy, 0.25);
    cv::addWeighted(gx, 1.0, gy, 1.0, 0.0, energy);

    const double to_map = std::min(1.0, double(kMapSide) / std::max(source.cols, source.rows));
    cv::Mat map;
    if (to_map < 1.0) cv::resize(energy, map, cv::Size(), to_map, to_map, cv::INTER_AREA);
    else map = energy;
    cv::blur(map, map, cv::Size(3, 3));

    cv::Mat binary;
    const double otsu = cv::threshold(map, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::Mat mask = map > std::max(kMinEnergy, otsu * 0.8);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, kernel, cv::Point(-1, -1), 2);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, kernel);

    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    struct Scored {
        cv::RotatedRect rect;
        double score;
    };
    std::vector<Scored> scored;
    const double to_image = 1.0 / (to_map * to_source);
    for (const auto &contour : contours) {
        const double area = cv::contourArea(contour);
        if (area < 12) continue;
        cv::RotatedRect rect = cv::minAreaRect(contour);
        const double rect_area = double(rect.size.width) * rect.size.height;
        if (rect_area <= 0 || area / rect_area < kMinFill) continue;
        if (std::min(rect.size.width, rect.size.height) < 3) continue;
        // Back to image pixels, half a map pixel of slack on each side for the averaging.
        rect.center = cv::Point2f(float((rect.center.x + 0.5) * to_image - 0.5),
                                  float((rect.center.y + 0.5) * to_image - 0.5));
        rect.size = cv::Size2f(float((rect.size.width + 1) * to_image), float((rect.size.height + 1) * to_image));
        scored.push_back({rect, area});
    }
    std::sort(scored.begin(), scored.end(), [](const Scored &a, const Scored &b) { return a.score > b.score; });
    std::vector<cv::RotatedRect> regions;
    for (const auto &s : scored) {
        if (int(regions.size()) >= limit) break;
        regions.push_back(s.rect);
    }
    return regions;
}

}  // namespace cvision
