import Foundation

/// Progress of a long benchmark on standard error, so that the table on standard output stays
/// clean for a file or a pipe.
enum Progress {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
