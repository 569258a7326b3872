// Tesseract's C API (tesseract/capi.h). Backdrop only ever hands it pixel buffers (SetImage), never a
// file name or URL: libtesseract links libcurl and would fetch an image given a URL.
#ifndef CTESSERACT_SHIM_H
#define CTESSERACT_SHIM_H

#include <tesseract/capi.h>

#endif
