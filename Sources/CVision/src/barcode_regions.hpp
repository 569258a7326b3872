// Where barcodes may be in a photo: compact regions of high gradient energy.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace cvision {

/// Candidate barcode regions of an 8-bit grey image, as rotated rectangles in its pixels, most
/// promising (largest energetic area) first, at most `limit`. Edges of objects and thin lines are
/// removed; text blocks are kept (a label's barcode often touches its text).
std::vector<cv::RotatedRect> barcode_regions(const cv::Mat &grey, int limit);

}  // namespace cvision
