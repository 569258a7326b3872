/// Characters OCR confuses in places where the format requires a digit or a letter.
///
/// Besides O/0, I/l/1, S/5 and B/8, label fonts make OCR read D and Q for 0, Z for 2 and G for 6. A
/// correction is only ever kept when the corrected number passes its checksum, and only a few per number.
enum OCRCharacters {
    /// The digit an OCR character most likely stands for (`O`→0, `I`/`l`→1, `S`→5, `B`→8).
    static func digit(_ character: Character) -> Character? {
        if character.isASCII, character.isNumber { return character }
        switch character {
        case "O", "o", "D", "Q": return "0"
        case "I", "l", "i", "|": return "1"
        case "S", "s": return "5"
        case "B": return "8"
        case "Z", "z": return "2"
        case "G": return "6"
        default: return nil
        }
    }

    /// The capital letter an OCR character most likely stands for (`0`→O, `1`→I, `5`→S, `8`→B).
    static func letter(_ character: Character) -> Character? {
        if character.isASCII, character.isLetter { return Character(character.uppercased()) }
        switch character {
        case "0": return "O"
        case "1", "|": return "I"
        case "5": return "S"
        case "8": return "B"
        case "2": return "Z"
        case "6": return "G"
        default: return nil
        }
    }
}
