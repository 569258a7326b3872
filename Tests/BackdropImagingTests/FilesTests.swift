import Foundation
import Testing
@testable import BackdropImaging
import BackdropTestSupport

@Suite("Files: atomic writes, input walking, output planning")
struct FilesTests {
    @Test func atomicWriteLeavesOnlyTheTarget() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write([4, 5], to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.bin"])
    }

    @Test func failedAtomicWriteLeavesNothing() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ImageError.self) { try AtomicFile.write([1], to: folder + "/missing/out.bin") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func walkerMirrorsFoldersSkipsSymlinksAndNonImages() throws {
        let folder = try TestImages.temporaryFolder()
        let outside = try TestImages.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try FileManager.default.createDirectory(atPath: folder + "/a/b", withIntermediateDirectories: true)
        let jpeg = Data(try TestImages.encoded(.jpeg))
        try jpeg.write(to: URL(fileURLWithPath: folder + "/a/b/one.jpg"))
        try jpeg.write(to: URL(fileURLWithPath: folder + "/two"))
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        try jpeg.write(to: URL(fileURLWithPath: outside + "/secret.jpg"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.jpg", withDestinationPath: outside + "/secret.jpg")
        try FileManager.default.createSymbolicLink(atPath: folder + "/linkdir", withDestinationPath: outside)

        let walker = InputWalker(paths: [folder])
        #expect(walker.files.map(\.relativePath) == ["a/b/one.jpg", "two"])
        #expect(walker.skipped.map(\.reason) == ["not an image"])
        #expect(walker.refused.map(\.reason) == ["symbolic link, not followed", "symbolic link, not followed"])
    }

    @Test func plannerRefusesEscapesAndSymlinkedFolders() throws {
        let out = try TestImages.temporaryFolder()
        let elsewhere = try TestImages.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        let planner = OutputPlanner(destination: .folder(out))
        for name in ["../evil.jpg", "a/../../evil.jpg", "/etc/evil.jpg"] {
            let input = InputFile(path: "/tmp/in.jpg", relativePath: name, isExplicit: false)
            #expect(throws: ImageError.self) { try planner.outputPath(for: input, format: .jpeg, inputFormat: .jpeg) }
        }
        try FileManager.default.createSymbolicLink(atPath: out + "/sub", withDestinationPath: elsewhere)
        let input = InputFile(path: "/tmp/in.jpg", relativePath: "sub/x.jpg", isExplicit: false)
        #expect(throws: ImageError.writeFailed("a symbolic link in the output folder points outside it")) {
            try planner.outputPath(for: input, format: .jpeg, inputFormat: .jpeg)
        }
        let fine = InputFile(path: "/tmp/in.jpg", relativePath: "c/d.png", isExplicit: false)
        #expect(try planner.outputPath(for: fine, format: .webp, inputFormat: .png) == out + "/c/d.webp")
    }

    @Test func plannerNeverWritesOverTheInput() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/in.jpg"
        try Data(try TestImages.encoded(.jpeg)).write(to: URL(fileURLWithPath: path))
        let input = InputFile(path: path, relativePath: "in.jpg", isExplicit: true)
        #expect(throws: ImageError.self) {
            try OutputPlanner(destination: .folder(folder)).outputPath(for: input, format: .jpeg, inputFormat: .jpeg)
        }
        #expect(OutputPlanner.destination(for: folder + "/clean.jpg", inputs: [input]) == .file(folder + "/clean.jpg"))
        #expect(OutputPlanner.destination(for: folder + "/clean", inputs: [input]) == .folder(folder + "/clean"))
    }
}
