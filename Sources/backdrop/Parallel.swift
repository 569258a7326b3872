/// Runs work over items with at most `width` at once and hands each result, in input order, to
/// `onEach` as soon as it and all before it are done (so output reads in order and still streams).
enum Parallel {
    static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], width: Int,
        _ work: @escaping @Sendable (Item) -> Result,
        onEach: (Result) -> Void
    ) async -> [Result] {
        var results = [Result?](repeating: nil, count: items.count)
        var nextToEmit = 0
        await withTaskGroup(of: (Int, Result).self) { group in
            var nextToStart = 0
            func startNext() {
                guard nextToStart < items.count else { return }
                let index = nextToStart
                let item = items[index]
                group.addTask { (index, work(item)) }
                nextToStart += 1
            }
            for _ in 0..<max(1, width) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                while nextToEmit < items.count, let ready = results[nextToEmit] {
                    onEach(ready)
                    nextToEmit += 1
                }
                startNext()
            }
        }
        return results.compactMap { $0 }
    }
}
