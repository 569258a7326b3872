import CVision

extension Symbology {
    /// The symbology for a CVision code, nil for one Backdrop does not know.
    init?(_ code: Int32) {
        switch Int(code) {
        case Int(CVISION_SYMBOLOGY_CODE128): self = .code128
        case Int(CVISION_SYMBOLOGY_CODE39): self = .code39
        case Int(CVISION_SYMBOLOGY_CODE93): self = .code93
        case Int(CVISION_SYMBOLOGY_CODABAR): self = .codabar
        case Int(CVISION_SYMBOLOGY_ITF): self = .itf
        case Int(CVISION_SYMBOLOGY_EAN8): self = .ean8
        case Int(CVISION_SYMBOLOGY_EAN13): self = .ean13
        case Int(CVISION_SYMBOLOGY_UPCA): self = .upcA
        case Int(CVISION_SYMBOLOGY_UPCE): self = .upcE
        case Int(CVISION_SYMBOLOGY_PDF417): self = .pdf417
        case Int(CVISION_SYMBOLOGY_MAXICODE): self = .maxiCode
        case Int(CVISION_SYMBOLOGY_DATAMATRIX): self = .dataMatrix
        case Int(CVISION_SYMBOLOGY_QRCODE): self = .qrCode
        case Int(CVISION_SYMBOLOGY_MICROQR): self = .microQR
        case Int(CVISION_SYMBOLOGY_AZTEC): self = .aztec
        case Int(CVISION_SYMBOLOGY_DATABAR): self = .dataBar
        case Int(CVISION_SYMBOLOGY_DATABAR_EXPANDED): self = .dataBarExpanded
        default: return nil
        }
    }
}
