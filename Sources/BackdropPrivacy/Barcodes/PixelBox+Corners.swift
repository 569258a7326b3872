import BackdropImaging
extension PixelBox {
    /// The smallest whole-pixel box holding `points`, clipped to a `width` × `height` image.
    init(enclosing points: [PixelPoint], width: Int, height: Int) {
        let left = max(0, Int(points.map(\.x).min()!.rounded(.down)))
        let top = max(0, Int(points.map(\.y).min()!.rounded(.down)))
        let right = min(width, Int(points.map(\.x).max()!.rounded(.up)))
        let bottom = min(height, Int(points.map(\.y).max()!.rounded(.up)))
        self.init(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }
}
