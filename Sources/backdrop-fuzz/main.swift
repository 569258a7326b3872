import Foundation

// backdrop-fuzz: coverage-guided fuzzing of the parsers of untrusted bytes (FuzzTarget).
//
// Built by scripts/fuzz with `-sanitize=fuzzer,address -DBACKDROP_FUZZ`, it hands control to libFuzzer
// (LLVMFuzzerRunDriver) with the target named by $BACKDROP_FUZZ_TARGET. Built plainly (every
// `swift build`), it replays files through the same targets: `backdrop-fuzz TARGET FILE_OR_FOLDER...`,
// which is how CI re-runs the committed corpus and every crash ever found.

enum Selected {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["BACKDROP_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("backdrop-fuzz: set BACKDROP_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()
}

#if BACKDROP_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// libFuzzer's entry point (its runtime refers to it by name as well).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    Selected.target.run(bytes)
    return 0
}

_ = Selected.target
var argc = CommandLine.argc
var argv = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
#else
let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, name == "all" || FuzzTarget(rawValue: name) != nil, arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: backdrop-fuzz TARGET|all FILE_OR_FOLDER...  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")); with all, each folder holds the seed folders of Fuzz/corpus)\n".utf8))
    exit(2)
}

/// Files under a path, sorted (a file is itself).
func files(under path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
    guard isDirectory.boolValue else { return [path] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.sorted().filter { !$0.hasPrefix(".") }.flatMap { files(under: path + "/" + $0) }
}

var runs = 0
for root in arguments.dropFirst() {
    let plan: [(FuzzTarget, String)] = name == "all"
        ? FuzzTarget.allCases.map { ($0, root + "/" + $0.corpus) }
        : [(FuzzTarget(rawValue: name)!, root)]
    for (target, path) in plan {
        let found = files(under: path)
        if name == "all" && found.isEmpty {
            FileHandle.standardError.write(Data("backdrop-fuzz: no corpus for \(target.rawValue) in \(path)\n".utf8))
            exit(1)
        }
        for file in found {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            target.run([UInt8](data))
            runs += 1
        }
    }
}
print("backdrop-fuzz: \(runs) inputs replayed, no promise broken")
#endif
