// Text regions for OCR: where text-like marks are, at which angle and size, and a straightened,
// contrast-normalised crop of each one that Tesseract reads well.
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <vector>

using namespace cvision;

namespace {

constexpr int kMinMarks = 3;             // fewer marks than this is not a word…
constexpr double kMinWordHeight = 6;     // …unless they are word-shaped blobs at least this high
constexpr double kLinkFactor = 0.8;      // marks closer than 0.8 × their size belong together
constexpr double kMinGradient = 20;      // grey levels: below this an edge is sensor noise
constexpr double kMaxGradient = 48;      // cap Otsu so a high-contrast label does not hide faint text
constexpr int kMaxMarks = 60000;         // a pathological texture: keep the first ones only

struct Mark {
    cv::Rect box;
    double size;
    int label;
};

struct DisjointSet {
    std::vector<int> parent;
    explicit DisjointSet(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    int find(int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }
    void unite(int a, int b) { parent[find(a)] = find(b); }
};

/// A mark's size: its height for letter-like marks, the short side for elongated ones (a merged
/// word, or a thin letter whose neighbours carry the link).
double mark_size(const cv::Rect &box) {
    const double lo = std::min(box.width, box.height), hi = std::max(box.width, box.height);
    return hi > 2 * lo ? lo : hi;
}

double gap(const cv::Rect &a, const cv::Rect &b) {
    const int dx = std::max(0, std::max(a.x, b.x) - std::min(a.x + a.width, b.x + b.width));
    const int dy = std::max(0, std::max(a.y, b.y) - std::min(a.y + a.height, b.y + b.height));
    return std::max(dx, dy);
}

std::vector<Mark> find_marks(const cv::Mat &grey, cv::Mat &labels) {
    cv::Mat gradient, binary;
    cv::morphologyEx(grey, gradient, cv::MORPH_GRADIENT, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    const double otsu = cv::threshold(gradient, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const double level = std::clamp(otsu, kMinGradient, kMaxGradient);
    cv::threshold(gradient, binary, level, 255, cv::THRESH_BINARY);

    cv::Mat stats, centroids;
    const int count = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
    const int longest = std::max(grey.cols, grey.rows);
    std::vector<Mark> marks;
    for (int i = 1; i < count && int(marks.size()) < kMaxMarks; ++i) {
        const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                           stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        const int lo = std::min(box.width, box.height), hi = std::max(box.width, box.height);
        if (hi < 4 || area < 8) continue;                       // specks
        if (lo > longest / 6) continue;                          // objects, not letters
        if (double(area) / hi < 1.5) continue;                   // thin curves: object outlines
        if (double(area) < 0.08 * box.area()) continue;          // sparse diagonal edges
        marks.push_back({box, mark_size(box), i});
    }
    return marks;
}

std::vector<std::vector<int>> group_marks(const std::vector<Mark> &marks) {
    std::vector<int> order(marks.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return marks[a].box.x < marks[b].box.x; });
    double largest = 0;
    for (const auto &mark : marks) largest = std::max(largest, mark.size);
    const double window = kLinkFactor * largest;

    DisjointSet sets(int(marks.size()));
    for (size_t i = 0; i < order.size(); ++i) {
        const Mark &a = marks[order[i]];
        for (size_t j = i + 1; j < order.size(); ++j) {
            const Mark &b = marks[order[j]];
            if (b.box.x - (a.box.x + a.box.width) > window) break;
            const double reach = kLinkFactor * std::max(a.size, b.size);
            // Marks of very different sizes are not the same text (a letter and a product's edge).
            if (std::max(a.size, b.size) > 3.5 * std::min(a.size, b.size) && std::min(a.size, b.size) >= 4) continue;
            if (gap(a.box, b.box) <= reach) sets.unite(order[i], order[j]);
        }
    }
    std::vector<std::vector<int>> groups(marks.size());
    for (int i = 0; i < int(marks.size()); ++i) groups[sets.find(i)].push_back(i);
    // Three marks make a word; fewer can too when they are word-shaped (small light-on-dark text
    // whose letters merged into one or two blobs), provided they are not specks.
    groups.erase(std::remove_if(groups.begin(), groups.end(),
                                [&](const auto &g) {
                                    if (g.empty()) return true;
                                    if (int(g.size()) >= kMinMarks) return false;
                                    double extent = 0, size = 0;
                                    for (int i : g) {
                                        extent += std::max(marks[i].box.width, marks[i].box.height);
                                        size = std::max(size, marks[i].size);
                                    }
                                    return size < kMinWordHeight || extent < 3 * size;
                                }),
                 groups.end());
    return groups;
}

/// A mark's pixels seen in the text's frame: u along the text, v across it.
struct Extent {
    double u0 = 1e18, u1 = -1e18, v0 = 1e18, v1 = -1e18;
    double height() const { return v1 - v0 + 1; }
    double width() const { return u1 - u0 + 1; }
};

/// The text direction (degrees, (-90, 90]) whose profile across the text is sharpest: lines of text
/// make tall narrow peaks with empty gaps between them, any other direction smears them. Unlike a
/// minimum-area rectangle it is not pulled off by ragged line ends or by a code printed beside the text.
///
/// Sharpness is the energy of the profile's steps (Postl's criterion), not its concentration (the sum of
/// squared counts): concentration also rewards the direction in which the block is narrowest, which for
/// a few lines beside a column of prices, or a label with a barcode under its address, is not the text's.
/// Points are shared between the two nearest bins, so the pixel grid does not alias into steps at 0°,
/// 45° or 90°.
double dominant_angle(const std::vector<cv::Point2f> &points, double bin) {
    if (points.size() < 2) return 0;
    cv::Point2f centre(0, 0);
    for (const auto &p : points) centre += p;
    centre *= 1.0f / float(points.size());
    double radius = 1;
    for (const auto &p : points) radius = std::max(radius, double(cv::norm(p - centre)));
    const int bins = int(2 * radius / bin) + 4;
    std::vector<double> histogram(bins);
    auto score = [&](double degrees) {
        const double theta = degrees * CV_PI / 180, s = std::sin(theta), c = std::cos(theta);
        std::fill(histogram.begin(), histogram.end(), 0.0);
        for (const auto &p : points) {
            const double v = (-s * (p.x - centre.x) + c * (p.y - centre.y) + radius) / bin + 1;
            const int i = int(v);
            const double w = v - i;
            histogram[i] += 1 - w;
            histogram[i + 1] += w;
        }
        double sum = 0;
        for (int i = 1; i < bins; ++i) sum += (histogram[i] - histogram[i - 1]) * (histogram[i] - histogram[i - 1]);
        return sum;
    };
    double best = 0, best_score = -1;
    for (double a = -89; a <= 90; a += 1) {
        const double value = score(a);
        if (value > best_score) best_score = value, best = a;
    }
    const double coarse = best;
    for (double a = coarse - 1; a <= coarse + 1; a += 0.1) {
        const double value = score(a);
        if (value > best_score) best_score = value, best = a;
    }
    while (best > 90) best -= 180;
    while (best <= -90) best += 180;
    return best;
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
}

/// `above` and `below` are the free space to the neighbouring lines: the crop stops short of them, as
/// a line read with a slice of the next one above or below it reads as garbage.
cvision_text_region make_line(const std::vector<Extent> &extents, const std::vector<int> &members, double angle,
                              double above, double below, double to_image, int block) {
    Extent all;
    std::vector<double> heights;
    for (int i : members) {
        all.u0 = std::min(all.u0, extents[i].u0), all.u1 = std::max(all.u1, extents[i].u1);
        all.v0 = std::min(all.v0, extents[i].v0), all.v1 = std::max(all.v1, extents[i].v1);
        heights.push_back(extents[i].height());
    }
    const double text_height = median(heights);
    const double theta = angle * CV_PI / 180, s = std::sin(theta), c = std::cos(theta);
    const double margin = 0.35 * text_height;
    all.v0 -= std::clamp(0.45 * above, 0.0, margin);
    all.v1 += std::clamp(0.45 * below, 0.0, margin);
    const double u = (all.u0 + all.u1 + 1) / 2, v = (all.v0 + all.v1 + 1) / 2;
    cvision_text_region region;
    region.center_x = float((c * u - s * v) * to_image);
    region.center_y = float((s * u + c * v) * to_image);
    region.width = float((all.width() + 2 * margin) * to_image);
    region.height = float(all.height() * to_image);
    region.angle = float(angle);
    region.text_height = float(text_height * to_image);
    region.mark_count = int(members.size());
    region.block = block;
    return region;
}

/// Which marks are a barcode's bars: six or more long thin marks side by side, parallel and of one
/// length, their middles on one line across them, and the blobs of bars merged together that span the
/// same length there. Their profile across the bars is sharper than any text's, so left in they turn
/// the block to the bars' angle and cut it into one "line" per bar. Text does not line up like that:
/// its letters are not five times longer than wide, and lines merged into one blob each end unevenly.
std::vector<bool> find_bars(const std::vector<std::vector<cv::Point2f>> &pixels) {
    constexpr int kMinBars = 6;
    struct Shape {
        double x, y, direction, length;
        bool is_thin;
    };
    std::vector<bool> bars(pixels.size(), false);
    std::vector<Shape> shapes(pixels.size(), Shape{0, 0, 0, 0, false});
    int thin = 0;
    for (size_t k = 0; k < pixels.size(); ++k) {
        const auto &points = pixels[k];
        if (points.size() < 8) continue;
        double mx = 0, my = 0;
        for (const auto &p : points) mx += p.x, my += p.y;
        mx /= double(points.size()), my /= double(points.size());
        double xx = 0, xy = 0, yy = 0;
        for (const auto &p : points) {
            const double dx = p.x - mx, dy = p.y - my;
            xx += dx * dx, xy += dx * dy, yy += dy * dy;
        }
        xx /= double(points.size()), xy /= double(points.size()), yy /= double(points.size());
        const double mean = (xx + yy) / 2, spread = std::sqrt((xx - yy) * (xx - yy) / 4 + xy * xy);
        // A uniform bar of length L has variance L²/12 along it.
        const double length = std::sqrt(12 * (mean + spread)), width = std::sqrt(12 * std::max(mean - spread, 1.0 / 12));
        shapes[k] = {mx, my, 0.5 * std::atan2(2 * xy, xx - yy), length, length >= 12 && length >= 5 * width};
        thin += shapes[k].is_thin;
    }
    if (thin < kMinBars || thin > 4000) return bars;
    auto is_beside = [](const Shape &a, const Shape &b) {
        double turn = std::fabs(a.direction - b.direction);
        turn = std::min(turn, CV_PI - turn);
        if (turn > 3 * CV_PI / 180 || std::fabs(a.length - b.length) > 0.15 * a.length) return false;
        const double along = (b.x - a.x) * std::cos(a.direction) + (b.y - a.y) * std::sin(a.direction);
        return std::fabs(along) <= 0.1 * a.length;
    };
    while (true) {
        int seed = -1;
        size_t best = 0;
        for (size_t i = 0; i < shapes.size(); ++i) {
            if (bars[i] || !shapes[i].is_thin) continue;
            size_t members = 0;
            for (size_t j = 0; j < shapes.size(); ++j) members += !bars[j] && shapes[j].is_thin && is_beside(shapes[i], shapes[j]);
            if (members > best) seed = int(i), best = members;
        }
        if (seed < 0 || int(best) < kMinBars) break;
        const Shape &bar = shapes[seed];
        const double c = std::cos(bar.direction), s = std::sin(bar.direction);
        const double middle = bar.x * c + bar.y * s;
        for (size_t j = 0; j < shapes.size(); ++j) {
            if (bars[j] || pixels[j].empty()) continue;
            if (shapes[j].is_thin) {
                bars[j] = is_beside(bar, shapes[j]);
                continue;
            }
            // Merged bars: whatever their own shape, they span the bars' length at the bars' place.
            double lo = 1e18, hi = -1e18;
            for (const auto &p : pixels[j]) lo = std::min(lo, p.x * c + p.y * s), hi = std::max(hi, p.x * c + p.y * s);
            bars[j] = std::fabs(hi - lo - bar.length) <= 0.15 * bar.length && std::fabs((lo + hi) / 2 - middle) <= 0.1 * bar.length;
        }
    }
    return bars;
}

/// Cuts a block of marks into lines: straightened by the sharpest profile, without the gapless blobs,
/// split across the text where no mark reaches and along it at gaps wider than three line heights.
std::vector<cvision_text_region> make_lines(const std::vector<Mark> &marks, const std::vector<int> &group,
                                            const cv::Mat &labels, double to_image, int block) {
    // The marks' own pixels, not their boxes: boxes of tilted letters stagger and skew the angle.
    std::vector<std::vector<cv::Point2f>> pixels(group.size());
    std::vector<cv::Point2f> sample;
    std::vector<double> sizes;
    size_t total = 0;
    for (size_t k = 0; k < group.size(); ++k) {
        const Mark &mark = marks[group[k]];
        for (int y = mark.box.y; y < mark.box.y + mark.box.height; ++y) {
            const int *row = labels.ptr<int>(y);
            for (int x = mark.box.x; x < mark.box.x + mark.box.width; ++x)
                if (row[x] == mark.label) pixels[k].emplace_back(x + 0.5f, y + 0.5f);
        }
        total += pixels[k].size();
        sizes.push_back(mark.size);
    }
    const std::vector<bool> bars = find_bars(pixels);
    // Every mark weighs alike in the angle, however many pixels it has, and big square blobs (a QR
    // code beside the text) and bars not at all: they would outweigh the letters.
    const double usual = median(sizes);
    const size_t per_mark = std::max<size_t>(8, 6000 / group.size());
    for (size_t k = 0; k < group.size(); ++k) {
        const cv::Rect &box = marks[group[k]].box;
        const bool squarish = std::max(box.width, box.height) < 2 * std::min(box.width, box.height);
        if ((group.size() > 2 && squarish && marks[group[k]].size > 2.5 * usual) || bars[k]) continue;
        const size_t step = std::max<size_t>(1, pixels[k].size() / per_mark);
        for (size_t i = 0; i < pixels[k].size(); i += step) sample.push_back(pixels[k][i]);
    }
    (void) total;
    double angle = dominant_angle(sample, std::max(1.5, median(sizes) / 6));
    // A small angle that is only the letters' staggered pixels is noise: snap near-level text.
    if (std::fabs(angle) < 0.75) angle = 0;
    const double theta = angle * CV_PI / 180, s = std::sin(theta), c = std::cos(theta);
    std::vector<Extent> extents(group.size());
    std::vector<double> heights;
    for (size_t k = 0; k < group.size(); ++k) {
        for (const auto &p : pixels[k]) {
            const double u = c * p.x + s * p.y, v = -s * p.x + c * p.y;
            extents[k].u0 = std::min(extents[k].u0, u), extents[k].u1 = std::max(extents[k].u1, u);
            extents[k].v0 = std::min(extents[k].v0, v), extents[k].v1 = std::max(extents[k].v1, v);
        }
        if (!bars[k]) heights.push_back(extents[k].height());
    }
    const double typical = median(heights);
    // Blobs several lines tall and about as wide have no gaps inside: QR codes, barcodes, logos. A
    // word blob that merged two lines stays: it is much wider than tall.
    std::vector<int> kept;
    for (int k = 0; k < int(group.size()); ++k) {
        const Extent &e = extents[k];
        if (bars[k] || (e.height() > 2.5 * typical && e.height() > 0.6 * e.width())) continue;
        kept.push_back(k);
    }
    if (kept.empty()) return {};
    std::sort(kept.begin(), kept.end(), [&](int a, int b) { return extents[a].v0 < extents[b].v0; });
    std::vector<std::vector<int>> rows;
    double reach = -1e18;
    for (int k : kept) {
        // Descenders and accents may just touch the next line: a line must overlap to join it.
        if (rows.empty() || extents[k].v0 > reach - 0.2 * typical) {
            rows.emplace_back();
            reach = extents[k].v1;
        }
        rows.back().push_back(k);
        reach = std::max(reach, extents[k].v1);
    }
    std::vector<double> tops, bottoms;
    for (const auto &row : rows) {
        double top = 1e18, bottom = -1e18;
        for (int k : row) top = std::min(top, extents[k].v0), bottom = std::max(bottom, extents[k].v1);
        tops.push_back(top), bottoms.push_back(bottom);
    }
    std::vector<cvision_text_region> lines;
    for (size_t r = 0; r < rows.size(); ++r) {
        auto &row = rows[r];
        const double above = r == 0 ? 1e9 : tops[r] - bottoms[r - 1];
        const double below = r + 1 == rows.size() ? 1e9 : tops[r + 1] - bottoms[r];
        std::sort(row.begin(), row.end(), [&](int a, int b) { return extents[a].u0 < extents[b].u0; });
        std::vector<double> row_heights;
        for (int k : row) row_heights.push_back(extents[k].height());
        const double height = median(row_heights);
        std::vector<int> piece;
        double right = -1e18;
        auto flush = [&] {
            if (piece.empty()) return;
            double width = 0, tallest = 0;
            for (int k : piece) {
                width = std::max(width, extents[k].u1), tallest = std::max(tallest, extents[k].height());
            }
            width -= extents[piece.front()].u0;
            // A lone speck beside a line is not a word.
            if (int(piece.size()) >= kMinMarks || width >= 1.5 * tallest)
                lines.push_back(make_line(extents, piece, angle, above, below, to_image, block));
            piece.clear();
        };
        for (int k : row) {
            if (!piece.empty() && extents[k].u0 - right > 3 * height) flush();
            piece.push_back(k);
            right = piece.size() == 1 ? extents[k].u1 : std::max(right, extents[k].u1);
        }
        flush();
    }
    return lines;
}

/// Linear stretch: the text class's mean becomes 0, the background's 255.
void normalise_contrast(cv::Mat &grey) {
    cv::Mat binary;
    const double level = cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const cv::Scalar light = cv::mean(grey, binary);
    const cv::Scalar dark = cv::mean(grey, ~binary);
    const double light_fraction = cv::countNonZero(binary) / double(grey.total());
    (void) level;
    double text = dark[0], background = light[0];
    if (light_fraction < 0.5) std::swap(text, background);   // light text on a dark ground
    if (std::fabs(background - text) < 8) return;          // flat: nothing to stretch
    const double alpha = 255.0 / (background - text);
    grey.convertTo(grey, CV_8U, alpha, -alpha * text);
}

}  // namespace

extern "C" int cvision_find_text_regions(const uint8_t *rgb, int width, int height, size_t stride, int max_side,
                                         cvision_text_region *regions_out, int max_regions,
                                         cvision_status *status) {
    return guarded(status, "find_text_regions", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(max_side >= 64, "expected max_side of at least 64");
        require(regions_out != nullptr || max_regions == 0, "expected a region buffer");
        const double scale = std::min(1.0, double(max_side) / std::max(width, height));
        cv::Mat small, grey;
        if (scale < 1) cv::resize(image, small, {}, scale, scale, cv::INTER_AREA);
        else small = image;
        cv::cvtColor(small, grey, cv::COLOR_RGB2GRAY);

        cv::Mat labels;
        const std::vector<Mark> marks = find_marks(grey, labels);
        auto groups = group_marks(marks);
        // Largest blocks first, each block's lines in reading order.
        std::vector<std::pair<double, std::vector<int>>> blocks;
        for (const auto &group : groups) {
            std::vector<cv::Point> corners;
            for (int i : group) corners.push_back(marks[i].box.tl()), corners.push_back(marks[i].box.br());
            blocks.push_back({double(cv::boundingRect(corners).area()), group});
        }
        std::stable_sort(blocks.begin(), blocks.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        int n = 0;
        for (int block = 0; block < int(blocks.size()); ++block) {
            for (const auto &line : make_lines(marks, blocks[block].second, labels, 1.0 / scale, block)) {
                if (n == max_regions) return n;
                regions_out[n++] = line;
            }
        }
        return n;
    });
}

extern "C" int cvision_make_text_crop(const uint8_t *rgb, int width, int height, size_t stride,
                                      const cvision_text_region *region, double scale, int quarter_turns,
                                      int padding, cvision_text_crop *crop_out, cvision_status *status) {
    if (crop_out) std::memset(crop_out, 0, sizeof *crop_out);
    return guarded(status, "make_text_crop", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(region != nullptr && crop_out != nullptr, "expected a region and a crop");
        require(scale > 0 && scale <= 16, "expected a scale in (0, 16]");
        require(padding >= 0 && padding <= 1000, "expected a padding of 0…1000 px");
        require(region->width > 0 && region->height > 0, "expected a region of positive size");
        const int turns = ((quarter_turns % 4) + 4) % 4;
        int content_w = std::max(1, int(std::lround(region->width * scale)));
        int content_h = std::max(1, int(std::lround(region->height * scale)));
        require(double(content_w) * content_h <= 64.0e6, "expected a crop of at most 64 MP");
        if (turns % 2) std::swap(content_w, content_h);

        // Image → crop: move the centre to the origin, rotate the text direction onto +x (and the
        // extra quarter turns), scale, move to the crop's centre.
        const double theta = (region->angle + 90.0 * turns) * CV_PI / 180.0;
        const double c = std::cos(theta) * scale, s = std::sin(theta) * scale;
        const double cx = region->center_x, cy = region->center_y;
        // Rotating by −theta: x' = c·dx + s·dy, y' = −s·dx + c·dy.
        cv::Matx23d forward(c, s, content_w / 2.0 - (c * cx + s * cy),
                            -s, c, content_h / 2.0 - (-s * cx + c * cy));

        // Only the part of the image the region covers is converted to grey and warped.
        const cv::RotatedRect rotated({region->center_x, region->center_y}, {region->width, region->height},
                                      region->angle);
        cv::Rect roi = rotated.boundingRect() & cv::Rect(0, 0, width, height);
        roi.x = std::max(0, roi.x - 2);
        roi.y = std::max(0, roi.y - 2);
        roi.width = std::min(width - roi.x, roi.width + 4);
        roi.height = std::min(height - roi.y, roi.height + 4);
        require(!roi.empty(), "expected a region inside the image");
        cv::Mat grey;
        cv::cvtColor(image(roi), grey, cv::COLOR_RGB2GRAY);
        cv::Matx23d local = forward;
        local(0, 2) += forward(0, 0) * roi.x + forward(0, 1) * roi.y;
        local(1, 2) += forward(1, 0) * roi.x + forward(1, 1) * roi.y;
        cv::Mat content;
        cv::warpAffine(grey, content, cv::Mat(local), {content_w, content_h},
                       scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA, cv::BORDER_REPLICATE);
        normalise_contrast(content);
        cv::Mat padded;
        cv::copyMakeBorder(content, padded, padding, padding, padding, padding, cv::BORDER_CONSTANT, cv::Scalar(255));

        cv::Matx23d with_padding = forward;
        with_padding(0, 2) += padding;
        with_padding(1, 2) += padding;
        cv::Mat inverse;
        cv::invertAffineTransform(cv::Mat(with_padding), inverse);

        auto *pixels = static_cast<uint8_t *>(std::malloc(padded.total()));
        if (!pixels) throw std::bad_alloc();
        for (int y = 0; y < padded.rows; ++y) std::memcpy(pixels + size_t(y) * padded.cols, padded.ptr(y), padded.cols);
        crop_out->pixels = pixels;
        crop_out->width = padded.cols;
        crop_out->height = padded.rows;
        for (int i = 0; i < 6; ++i) crop_out->to_image[i] = inverse.at<double>(i / 3, i % 3);
        return 0;
    });
}

extern "C" void cvision_text_crop_free(cvision_text_crop *crop) {
    if (!crop) return;
    std::free(crop->pixels);
    crop->pixels = nullptr;
}

extern "C" int cvision_grey_downscale(const uint8_t *rgb, int width, int height, size_t stride,
                                      uint8_t *grey_out, int out_width, int out_height, cvision_status *status) {
    return guarded(status, "grey_downscale", [&] {
        cv::Mat image = wrap_rgb(rgb, width, height, stride);
        require(grey_out != nullptr && out_width > 0 && out_height > 0, "expected an output buffer");
        require(out_width <= width && out_height <= height, "expected a size no larger than the image");
        cv::Mat small;
        if (out_width == width && out_height == height) small = image;
        else cv::resize(image, small, {out_width, out_height}, 0, 0, cv::INTER_AREA);
        cv::Mat out(out_height, out_width, CV_8UC1, grey_out);
        cv::cvtColor(small, out, cv::COLOR_RGB2GRAY);
        return 0;
    });
}
