/// A line diff for failure reports: `-` expected, `+` actual, ` ` same.
public enum LineDiff {
    /// The diff of two texts by lines (longest common subsequence; large inputs are cut to 400 lines each).
    public static func diff(expected: String, actual: String) -> [String] {
        let old = Array(expected.split(separator: "\n", omittingEmptySubsequences: false).prefix(400)).map(String.init)
        let new = Array(actual.split(separator: "\n", omittingEmptySubsequences: false).prefix(400)).map(String.init)
        var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append("  " + old[i])
                i += 1
                j += 1
            } else if i < old.count, j == new.count || lengths[i + 1][j] >= lengths[i][j + 1] {
                result.append("- " + old[i])
                i += 1
            } else {
                result.append("+ " + new[j])
                j += 1
            }
        }
        return result
    }
}
