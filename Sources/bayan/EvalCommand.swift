import ArgumentParser
import Foundation
import Pipeline
import Transform

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the classifier against hand-labelled sentences.",
        subcommands: [Themes.self])

    struct Themes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-theme precision, recall, F1 and support, macro-F1, and the false-positive rate on no-theme sentences.",
            discussion: "The gold file is TSV: sentence<TAB>codes (comma-separated, empty for none), one sentence a line. Exit status 0 whatever the scores.")

        @Option(name: .long, help: ArgumentHelp("The labelled sentences.", valueName: "file"))
        var gold: String

        @Option(name: .long, help: "table or json.")
        var format: String = "table"

        @Option(name: .long, help: ArgumentHelp("Folder with the configuration (default: config/ of the Bayan checkout).", valueName: "dir"))
        var config: String?

        func validate() throws {
            if format != "table" && format != "json" { throw ValidationError("--format must be table or json") }
        }

        func run() throws {
            let evaluation: ThemeEvaluation
            do {
                let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let directory = try config.map { resolve($0, against: workingDirectory) } ?? BayanHome.locate().defaultConfigDirectory
                let lexicon = try TransformConfiguration.load(from: directory).themes
                let codes = lexicon.themes.map(\.code)
                guard let data = FileManager.default.contents(atPath: resolve(gold, against: workingDirectory).path) else {
                    throw ValidationError("cannot read the gold file \(gold)")
                }
                var goldSets: [Set<String>] = [], predicted: [Set<String>] = []
                for (index, rawLine) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
                    if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    guard let tab = line.lastIndex(of: "\t") else {
                        throw ValidationError("\(gold):\(index + 1): expected sentence<TAB>codes, found no tab")
                    }
                    let labels = Set(line[line.index(after: tab)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
                    if let unknown = labels.subtracting(codes).first {
                        throw ValidationError("\(gold):\(index + 1): unknown theme code '\(unknown)' (codebook: \(codes.joined(separator: ", ")))")
                    }
                    let stems = ThemeLexicon.stems(of: String(line[..<tab]))
                    goldSets.append(labels)
                    predicted.append(Set(lexicon.classify(stems: stems).map(\.code)))
                }
                evaluation = ThemeEvaluation(codes: codes, gold: goldSets, predicted: predicted)
            } catch {
                throw fail(error)
            }
            print(format == "json" ? Self.json(evaluation) : Self.table(evaluation))
        }

        static func number(_ value: Double) -> String { String(format: "%.4f", value) }

        static func json(_ evaluation: ThemeEvaluation) -> String {
            let perTheme = evaluation.perTheme.map { entry in
                "\"\(entry.code)\": {\"precision\": \(number(entry.scores.precision)), \"recall\": \(number(entry.scores.recall)), "
                    + "\"f1\": \(number(entry.scores.f1)), \"support\": \(entry.scores.support)}"
            }.joined(separator: ", ")
            return "{\"macro_f1\": \(number(evaluation.macroF1)), \"false_positive_rate\": \(number(evaluation.falsePositiveRate)), "
                + "\"sentences\": \(evaluation.sentences), \"no_theme_sentences\": \(evaluation.noThemeSentences), \"per_theme\": {\(perTheme)}}"
        }

        static func table(_ evaluation: ThemeEvaluation) -> String {
            var lines = ["theme                precision  recall     f1  support  predicted"]
            for entry in evaluation.perTheme {
                let code = entry.code.padding(toLength: 20, withPad: " ", startingAt: 0)
                lines.append("\(code)    \(String(format: "%.3f", entry.scores.precision))   \(String(format: "%.3f", entry.scores.recall))  "
                    + "\(String(format: "%.3f", entry.scores.f1))  \(String(format: "%7d", entry.scores.support))  \(String(format: "%9d", entry.scores.predicted))")
            }
            lines.append("macro-F1 \(String(format: "%.3f", evaluation.macroF1)) over the themes present; "
                + "false-positive rate \(String(format: "%.3f", evaluation.falsePositiveRate)) on \(evaluation.noThemeSentences) no-theme sentence(s) of \(evaluation.sentences)")
            return lines.joined(separator: "\n")
        }
    }
}
