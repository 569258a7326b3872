// Barcode reading with zxing-cpp 1.4: a pass over a downscaled copy of the whole photo for large
// matrix symbols, then full-resolution crops around regions of high gradient energy for small or
// angled ones — levelled, upscaled and sharpened when small and given a white quiet zone, which zxing
// needs (its 1-D readers scan rows, so a barcode at 15° must be turned level; it reads MaxiCode only
// upright and when it is the only dark thing in the picture, so that gets an isolated, turned crop).
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include "CVision.h"
#include "barcode_regions.hpp"
#include "gs1.hpp"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace cvision;

namespace {

constexpr int kOverviewSide = 1600;    // long side of the whole-image pass
constexpr int kMaxRegions = 16;        // crops read per photo
constexpr double kSmallCrop = 800;     // crops with a shorter long side are upscaled towards this…
constexpr double kMaxUpscale = 3;      // …by at most this factor
constexpr int kLargeCrop = 1800;       // crops are downscaled to this long side
constexpr int kMaxSymbolsPerCrop = 6;

struct Found {
    int symbology;
    bool is_gs1;
    std::string text;
    std::vector<cv::Point2f> corners;  // in the input image's pixels
};

int symbology_of(ZXing::BarcodeFormat format) {
    using F = ZXing::BarcodeFormat;
    switch (format) {
    case F::Code128: return CVISION_SYMBOLOGY_CODE128;
    case F::Code39: return CVISION_SYMBOLOGY_CODE39;
    case F::Code93: return CVISION_SYMBOLOGY_CODE93;
    case F::Codabar: return CVISION_SYMBOLOGY_CODABAR;
    case F::ITF: return CVISION_SYMBOLOGY_ITF;
    case F::EAN8: return CVISION_SYMBOLOGY_EAN8;
    case F::EAN13: return CVISION_SYMBOLOGY_EAN13;
    case F::UPCA: return CVISION_SYMBOLOGY_UPCA;
    case F::UPCE: return CVISION_SYMBOLOGY_UPCE;
    case F::PDF417: return CVISION_SYMBOLOGY_PDF417;
    case F::MaxiCode: return CVISION_SYMBOLOGY_MAXICODE;
    case F::DataMatrix: return CVISION_SYMBOLOGY_DATAMATRIX;
    case F::QRCode: return CVISION_SYMBOLOGY_QRCODE;
    case F::MicroQRCode: return CVISION_SYMBOLOGY_MICROQR;
    case F::Aztec: return CVISION_SYMBOLOGY_AZTEC;
    case F::DataBar: return CVISION_SYMBOLOGY_DATABAR;
    case F::DataBarExpanded: return CVISION_SYMBOLOGY_DATABAR_EXPANDED;
    default: return CVISION_SYMBOLOGY_UNKNOWN;
    }
}

ZXing::DecodeHints hints(ZXing::BarcodeFormats formats, int max_symbols) {
    ZXing::DecodeHints hints;
    hints.setFormats(formats)
        .setTryHarder(true)
        .setTryRotate(true)
        // zxing-cpp 1.4 asserts (and aborts the process) when it compares a linear result read on
        // several lines with the same symbol from another pyramid layer: no internal pyramid, the
        // scales are ours.
        .setTryDownscale(false)
        .setIsPure(false)
        .setMaxNumberOfSymbols(uint8_t(max_symbols));
    return hints;
}

cv::Rect2f bounds(const std::vector<cv::Point2f> &points) {
    float x0 = points[0].x, y0 = points[0].y, x1 = x0, y1 = y0;
    for (const auto &p : points) {
        x0 = std::min(x0, p.x); y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x); y1 = std::max(y1, p.y);
    }
    return {x0, y0, x1 - x0, y1 - y0};
}

/// Pearson correlation of two profiles of equal length.
double correlation(const std::vector<float> &a, const std::vector<float> &b) {
    const size_t n = a.size();
    double ma = 0, mb = 0;
    for (size_t i = 0; i < n; ++i) { ma += a[i]; mb += b[i]; }
    ma /= n; mb /= n;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; ++i) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

/// zxing places a linear symbol on the scan lines that read it, which may be one row; redaction needs
/// the bars' full height. Grows the quad across the bars while the profile along them still matches
/// the one through its middle.
std::vector<cv::Point2f> grown_to_bar_height(const cv::Mat &grey, const std::vector<cv::Point2f> &quad) {
    const cv::Point2f start = (quad[0] + quad[3]) * 0.5f, end = (quad[1] + quad[2]) * 0.5f;
    const cv::Point2f along = end - start;
    const float length = std::sqrt(along.dot(along));
    if (length < 8) return quad;
    const cv::Point2f across(-along.y / length, along.x / length);
    const int samples = std::max(16, int(length));
    auto profile = [&](float offset, std::vector<float> &out) {
        out.resize(samples);
        for (int i = 0; i < samples; ++i) {
            const cv::Point2f p = start + along * (float(i) / (samples - 1)) + across * offset;
            const int x = std::clamp(int(std::lround(p.x)), 0, grey.cols - 1);
            const int y = std::clamp(int(std::lround(p.y)), 0, grey.rows - 1);
            out[i] = grey.at<uint8_t>(y, x);
        }
    };
    std::vector<float> middle, line;
    // The middle of zxing's quad, measured along `across`.
    float low = 0, high = 0;
    for (const auto &q : quad) {
        const float d = (q - start).dot(across);
        low = std::min(low, d);
        high = std::max(high, d);
    }
    profile((low + high) / 2, middle);
    const float limit = length;  // bars are never taller than the symbol is long
    auto grow = [&](float from, float step) {
        float reached = from;
        for (float offset = from + step; std::abs(offset) < limit; offset += step) {
            profile(offset, line);
            if (correlation(middle, line) < 0.6) break;
            reached = offset;
        }
        return reached;
    };
    low = grow(low, -1);
    high = grow(high, 1);
    return {start + across * low, end + across * low, end + across * high, start + across * high};
}

class Collector {
public:
    /// Reads matrix codes in `image` (grey), mapping each result's corners back through `to_image`
    /// (2×3 affine from `image` to the input image). Returns how many symbols it decoded.
    /// zxing-cpp 1.4 aborts the process (a failed assert in Result::operator==) when one call finds two
    /// linear results with the same payload, e.g. two of the same product: only matrix codes, which it
    /// compares safely, are read several at a time.
    int read_matrix(const cv::Mat &image, const cv::Mat &to_image) {
        return record(image, to_image, read(image, ZXing::BarcodeFormat::MatrixCodes, 0xFF));
    }

    /// Reads a MaxiCode alone in `image`. zxing-cpp 1.4 gives it no position, so `outline` (4 corners
    /// in `outline_to_image`'s source pixels) stands for it.
    int read_maxicode(const cv::Mat &image, const std::vector<cv::Point2f> &outline, const cv::Mat &outline_to_image) {
        return record(image, outline_to_image, read(image, ZXing::BarcodeFormat::MaxiCode, 1), &outline);
    }

    /// Reads every kind of symbol in `image`, one per zxing call (see read_matrix): each symbol found
    /// is painted white and the crop read again, so two equal linear symbols are never in one call.
    int read_one_by_one(const cv::Mat &image, const cv::Mat &to_image) {
        cv::Mat remaining = image.clone();
        int decoded = 0;
        for (int round = 0; round < kMaxSymbolsPerCrop; ++round) {
            const auto results = read(remaining, ZXing::BarcodeFormat::Any, 1);
            if (results.empty() || !results.front().isValid()) break;
            const std::vector<cv::Point2f> corners = placed(remaining, results.front());
            std::vector<cv::Point> polygon;
            const cv::Point2f centre = (corners[0] + corners[1] + corners[2] + corners[3]) * 0.25f;
            for (const auto &corner : corners) {
                const cv::Point2f outward = corner - centre;
                const float norm = std::max(1.0f, std::sqrt(outward.dot(outward)));
                polygon.emplace_back(corner + outward * (4.0f / norm));  // a few pixels beyond the edge
            }
            cv::fillConvexPoly(remaining, polygon, cv::Scalar(255), cv::LINE_8);
            decoded += record(image, to_image, results, &corners);
        }
        return decoded;
    }

    /// Whether a region is already covered by what was read, so its crop can be skipped.
    bool covers(const cv::RotatedRect &region) const {
        const cv::Rect2f box = region.boundingRect2f();
        for (const auto &found : found_) {
            const cv::Rect2f known = bounds(found.corners);
            if ((known & box).area() >= 0.8 * box.area()) return true;
        }
        return false;
    }

    const std::vector<Found> &found() const { return found_; }

private:
    static ZXing::Results read(const cv::Mat &image, ZXing::BarcodeFormats formats, int max_symbols) {
        CV_Assert(image.type() == CV_8UC1 && image.isContinuous());
        const ZXing::ImageView view(image.data, image.cols, image.rows, ZXing::ImageFormat::Lum);
        // zxing-cpp 2.x can throw from inside a decoder on some pixel patterns (seen: std::out_of_range
        // from a vector index on a clean product photo of scripts/pii-scenes). One view failing must not
        // fail the image: that view reads nothing and the other views and crops still run.
        try {
            return ZXing::ReadBarcodes(view, hints(formats, max_symbols));
        } catch (const std::bad_alloc &) {
            throw;
        } catch (const std::exception &) {
            return {};
        }
    }

    static bool is_linear(const ZXing::Result &result) {
        return ZXing::BarcodeFormats(ZXing::BarcodeFormat::LinearCodes).testFlag(result.format());
    }

    static std::vector<cv::Point2f> corners_of(const ZXing::Result &result) {
        const auto &position = result.position();
        std::vector<cv::Point2f> corners;
        for (int i = 0; i < 4; ++i) corners.emplace_back(float(position[i].x), float(position[i].y));
        return corners;
    }

    /// Where a result is in `image`: zxing's corners; for linear symbols grown to the bars' height;
    /// for a symbol zxing gives no position (1.4's MaxiCode, read only when it is the one dark thing
    /// in the picture), the dark pixels' bounding box.
    static std::vector<cv::Point2f> placed(const cv::Mat &image, const ZXing::Result &result) {
        std::vector<cv::Point2f> corners = corners_of(result);
        if (is_linear(result)) return grown_to_bar_height(image, corners);
        if (cv::contourArea(corners) >= 1) return corners;
        std::vector<cv::Point> dark;
        cv::findNonZero(image < 128, dark);
        if (dark.empty()) return corners;
        const cv::Rect box = cv::boundingRect(dark);
        return {cv::Point2f(box.x, box.y), cv::Point2f(box.x + box.width, box.y),
                cv::Point2f(box.x + box.width, box.y + box.height), cv::Point2f(box.x, box.y + box.height)};
    }

    /// Adds valid results; `grown` (in `image`'s pixels) replaces a single result's corners.
    int record(const cv::Mat &image, const cv::Mat &to_image, const ZXing::Results &results,
               const std::vector<cv::Point2f> *grown = nullptr) {
        int decoded = 0;
        for (const auto &result : results) {
            if (!result.isValid()) continue;
            Found found;
            found.symbology = symbology_of(result.format());
            found.is_gs1 = result.contentType() == ZXing::ContentType::GS1;
            found.text = result.text();
            if (found.is_gs1) found.text = gs1_bracketed(found.text);
            const std::vector<cv::Point2f> corners = grown ? *grown : placed(image, result);
            cv::transform(corners, found.corners, to_image);
            add(std::move(found));
            ++decoded;
        }
        return decoded;
    }

    void add(Found &&candidate) {
        const cv::Rect2f box = bounds(candidate.corners);
        for (const auto &found : found_) {
            if (found.symbology != candidate.symbology || found.text != candidate.text) continue;
            const cv::Rect2f known = bounds(found.corners);
            const float overlap = (known & box).area();
            if (overlap > 0.3f * std::min(known.area(), box.area())) return;  // the same symbol, read twice
        }
        found_.push_back(std::move(candidate));
    }

    std::vector<Found> found_;
};

cv::Mat to_grey(const cv::Mat &image) {
    cv::Mat grey;
    switch (image.channels()) {
    case 1: grey = image.isContinuous() ? image : image.clone(); break;
    case 3: cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY); break;
    case 4: cv::cvtColor(image, grey, cv::COLOR_RGBA2GRAY); break;
    default: throw BadArgument("expected 1, 3 or 4 channels");
    }
    return grey;
}

/// The whole photo, downscaled so its long side is at most kOverviewSide.
void read_overview(const cv::Mat &grey, Collector &collector) {
    const double scale = std::min(1.0, double(kOverviewSide) / std::max(grey.cols, grey.rows));
    cv::Mat small = grey;
    if (scale < 1.0) cv::resize(grey, small, cv::Size(), scale, scale, cv::INTER_AREA);
    const cv::Mat to_image = (cv::Mat_<double>(2, 3) << 1.0 / scale, 0, 0, 0, 1.0 / scale, 0);
    // Matrix codes only: zxing-cpp 1.4 aborts (a failed assert) when one image holds two identical
    // linear barcodes, e.g. two of the same product; crops rarely hold two.
    collector.read_matrix(small, to_image);
}

/// A crop of the input: the region turned level (its long axis horizontal), scaled, framed in white.
struct Crop {
    cv::Mat pixels;
    cv::Mat to_image;  // 2×3 affine from the crop's pixels to the input image's
    cv::Rect region;   // where the region itself (without the slack) is in the crop
};

Crop level_crop(const cv::Mat &grey, const cv::RotatedRect &region, double upscale_limit) {
    cv::Size2f size = region.size;
    float angle = region.angle;
    if (size.width < size.height) {
        std::swap(size.width, size.height);
        angle += 90;
    }
    // Slack for the coarse map's blur and for quiet zones the energy map missed.
    const float margin = 0.06f * size.width + 8;
    const cv::Size2f framed(size.width + 2 * margin, size.height + 2 * margin);
    double scale = 1.0;
    if (framed.width < kSmallCrop) scale = std::min(upscale_limit, kSmallCrop / framed.width);
    else if (framed.width > kLargeCrop) scale = kLargeCrop / framed.width;
    const int border = int(std::lround(16 + 0.05 * framed.width * scale));
    const int out_w = int(std::lround(framed.width * scale)) + 2 * border;
    const int out_h = int(std::lround(framed.height * scale)) + 2 * border;

    // Image → crop: rotate by -angle about the region's centre, scale, move the centre to the crop's.
    cv::Mat forward = cv::getRotationMatrix2D(region.center, angle, scale);
    forward.at<double>(0, 2) += out_w / 2.0 - region.center.x;
    forward.at<double>(1, 2) += out_h / 2.0 - region.center.y;
    Crop crop;
    crop.pixels = cv::Mat(out_h, out_w, CV_8UC1, cv::Scalar(255));
    const cv::Rect inner(border, border, out_w - 2 * border, out_h - 2 * border);
    cv::Mat warped;
    cv::warpAffine(grey, warped, forward, cv::Size(out_w, out_h), scale > 1 ? cv::INTER_CUBIC : cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, cv::Scalar(255));
    if (scale > 1.2) {
        // Upscaling spreads a blurred 2-px module over 6 px of ramp; an unsharp mask restores the
        // edges zxing's binarizer needs.
        cv::Mat soft;
        cv::GaussianBlur(warped, soft, cv::Size(), scale);
        cv::addWeighted(warped, 2.0, soft, -1.0, 0, warped);
    }
    warped(inner).copyTo(crop.pixels(inner));
    cv::invertAffineTransform(forward, crop.to_image);
    const float slack = 0.02f * size.width + 3;
    const cv::Size tight(int(std::lround((size.width + 2 * slack) * scale)),
                         int(std::lround((size.height + 2 * slack) * scale)));
    crop.region = cv::Rect((out_w - tight.width) / 2, (out_h - tight.height) / 2, tight.width, tight.height) &
                  cv::Rect(0, 0, out_w, out_h);
    return crop;
}

/// The crop with everything outside the region whitened and the region thresholded halfway between
/// its dark and light ends, so a grey background next to the symbol turns white instead of joining
/// it (it eats quiet zones, and MaxiCode is only found when it is alone). Empty when the region has
/// no contrast.
cv::Mat isolated(const Crop &crop) {
    cv::Mat region_pixels = crop.pixels(crop.region).clone();
    cv::Mat sorted = region_pixels.reshape(1, 1).clone();
    cv::sort(sorted, sorted, cv::SORT_ASCENDING);
    const int count = sorted.cols;
    const double dark = sorted.at<uint8_t>(0, count / 50), light = sorted.at<uint8_t>(0, count - 1 - count / 50);
    if (light - dark < 40) return {};
    cv::threshold(region_pixels, region_pixels, (dark + light) / 2, 255, cv::THRESH_BINARY);
    cv::Mat out(crop.pixels.size(), CV_8UC1, cv::Scalar(255));
    region_pixels.copyTo(out(crop.region));
    return out;
}

/// zxing-cpp 1.4 reads MaxiCode only upright (within a few degrees), alone and square to the picture.
/// A levelled crop is upright up to a quarter turn, so a square-ish isolated region is read turned
/// by 90°, 180° and 270° too.
bool read_maxicode_turned(const cv::Mat &alone, const Crop &crop, Collector &collector) {
    const double aspect = double(crop.region.width) / crop.region.height;
    if (aspect < 0.8 || aspect > 1.25) return false;
    std::vector<cv::Point> dark;
    cv::findNonZero(alone < 128, dark);
    if (dark.empty()) return false;
    const cv::Rect symbol = cv::boundingRect(dark);
    const std::vector<cv::Point2f> outline = {
        cv::Point2f(symbol.x, symbol.y), cv::Point2f(symbol.x + symbol.width, symbol.y),
        cv::Point2f(symbol.x + symbol.width, symbol.y + symbol.height), cv::Point2f(symbol.x, symbol.y + symbol.height)};
    const cv::RotateFlags turns[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
    for (const auto turn : turns) {
        cv::Mat turned;
        cv::rotate(alone, turned, turn);
        if (collector.read_maxicode(turned, outline, crop.to_image) > 0) return true;
    }
    return false;
}

/// Reads one region: the level crop; if nothing is found, its isolated form; and for small regions,
/// a second, less upscaled crop (zxing's sampling of a few-pixel module depends on its phase).
void read_region(const cv::Mat &grey, const cv::RotatedRect &region, Collector &collector) {
    const Crop crop = level_crop(grey, region, kMaxUpscale);
    if (collector.read_one_by_one(crop.pixels, crop.to_image) > 0) return;
    const cv::Mat alone = isolated(crop);
    if (alone.empty()) return;
    if (collector.read_one_by_one(alone, crop.to_image) > 0) return;
    if (read_maxicode_turned(alone, crop, collector)) return;
    if (crop.pixels.cols > kSmallCrop) return;
    const Crop smaller = level_crop(grey, region, kMaxUpscale * 0.6);
    collector.read_one_by_one(smaller.pixels, smaller.to_image);
}

char *copy_text(const std::string &text) {
    char *copy = static_cast<char *>(std::malloc(text.size() + 1));
    if (!copy) throw std::bad_alloc();
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    return copy;
}

}  // namespace

extern "C" int cvision_read_barcodes(const uint8_t *pixels, int width, int height, size_t stride, int channels,
                                     cvision_barcode **barcodes_out, cvision_status *status) {
    return guarded(status, "read barcodes", [&] {
        require(barcodes_out != nullptr, "expected an output pointer but got NULL");
        *barcodes_out = nullptr;
        require(pixels != nullptr, "expected a pixel buffer but got NULL");
        require(width > 0 && height > 0, "expected a positive width and height");
        require(channels == 1 || channels == 3 || channels == 4, "expected 1, 3 or 4 channels");
        require(stride >= size_t(width) * channels, "expected a stride of at least width * channels bytes");
        const cv::Mat image(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels), stride);
        const cv::Mat grey = to_grey(image);

        Collector collector;
        read_overview(grey, collector);
        for (const auto &region : barcode_regions(grey, kMaxRegions)) {
            if (collector.covers(region)) continue;
            read_region(grey, region, collector);
        }

        const auto &found = collector.found();
        if (found.empty()) return 0;
        auto *out = static_cast<cvision_barcode *>(std::calloc(found.size(), sizeof(cvision_barcode)));
        if (!out) throw std::bad_alloc();
        try {
            for (size_t i = 0; i < found.size(); ++i) {
                out[i].symbology = found[i].symbology;
                out[i].is_gs1 = found[i].is_gs1 ? 1 : 0;
                for (int k = 0; k < 4; ++k) {
                    out[i].corners[2 * k] = found[i].corners[k].x;
                    out[i].corners[2 * k + 1] = found[i].corners[k].y;
                }
                out[i].text_length = int(found[i].text.size());
                out[i].text = copy_text(found[i].text);
            }
        } catch (...) {
            cvision_barcodes_free(out, int(found.size()));
            throw;
        }
        *barcodes_out = out;
        return int(found.size());
    });
}

extern "C" void cvision_barcodes_free(cvision_barcode *barcodes, int count) {
    if (!barcodes) return;
    for (int i = 0; i < count; ++i) std::free(barcodes[i].text);
    std::free(barcodes);
}
