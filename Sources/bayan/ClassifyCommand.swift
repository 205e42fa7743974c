import ArabicText
import ArgumentParser
import CopyText
import Foundation
import Pipeline
import Transform

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Show how sentences are classified into themes: tokens, stems, matched entries and scores.",
        discussion: """
            Give a sentence as an argument, lines in a file with --file, or lines on standard input. \
            With --format tsv, prints exactly one line per input line: the sentence, a tab, and the theme codes \
            comma-separated in the codebook's order (empty for none); tabs and backslashes in the sentence are \
            escaped as \\t and \\\\.
            """)

    @Argument(help: "A sentence to classify.")
    var sentence: String?

    @Option(name: .long, help: ArgumentHelp("Classify every line of this file ('-' for standard input).", valueName: "file"))
    var file: String?

    @Option(name: .long, help: "text (explained) or tsv (sentence and codes, one line per input line).")
    var format: String = "text"

    @Option(name: .long, help: ArgumentHelp("Folder with the configuration (default: config/ of the Bayan checkout).", valueName: "dir"))
    var config: String?

    func validate() throws {
        if format != "text" && format != "tsv" { throw ValidationError("--format must be text or tsv") }
        if sentence != nil && file != nil { throw ValidationError("give a sentence or --file, not both") }
    }

    func run() throws {
        let configuration: TransformConfiguration
        let lines: [String]
        do {
            let directory = try config.map { resolve($0, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
                ?? BayanHome.locate().defaultConfigDirectory
            configuration = try TransformConfiguration.load(from: directory)
            if let sentence {
                lines = [sentence]
            } else {
                let handle = file == nil || file == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: file!)
                guard let handle else { throw ValidationError("cannot read \(file!)") }
                let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
                var split = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
                if text.hasSuffix("\n") { split.removeLast() }
                lines = split
            }
        } catch {
            throw fail(error)
        }
        let lexicon = configuration.themes
        let normalizer = ArabicNormalizer()
        var output = ""
        for line in lines {
            let normalized = normalizer.normalize(line)
            let tokens = ArabicTokenizer.tokens(normalized)
            let stems = tokens.map(ArabicLightStemmer.stem)
            let matches = lexicon.matches(stems: stems)
            let assignments = lexicon.assignments(for: matches, stems: stems)
            if format == "tsv" {
                var escaped: [UInt8] = []
                CopyTextEncoder.appendField(line, to: &escaped)
                output += String(decoding: escaped, as: UTF8.self) + "\t" + assignments.map(\.code).joined(separator: ",") + "\n"
                continue
            }
            output += "sentence    \(line)\n"
            output += "normalized  \(normalized)\n"
            output += "tokens      \(tokens.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " "))\n"
            output += "stems       \(stems.joined(separator: " "))\n"
            if matches.isEmpty {
                output += "matches     none\n"
            }
            for match in matches {
                let span = match.end - match.start == 1 ? "token \(match.start)" : "tokens \(match.start)–\(match.end - 1)"
                output += "matches     \(match.term) → \(match.themeCode) (weight \(match.weight), \(span))\n"
            }
            if assignments.isEmpty {
                output += "themes      none\n"
            }
            for assignment in assignments {
                let threshold = lexicon.themes.first { $0.code == assignment.code }?.threshold ?? 0
                output += "themes      \(assignment.code) \(assignment.score) (threshold \(threshold)): \(assignment.matchedTerms.joined(separator: ", "))\n"
            }
            output += "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
