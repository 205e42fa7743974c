import Foundation
import Testing
import Transform

/// A configuration folder under the temporary directory, removed when the test ends.
final class ConfigurationFolder {
    let url: URL

    init(files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

private let boilerplateYAML = "version: 1\nlines:\n  - اظهر المزيد\nprefixes:\n  - اقرأ أيضا\n"
private let themesYAML =
    "themes:\n  - {code: civilians, name_ar: المدنيون, name_en: Civilians, description: x, terms: [المدنيين]}\n"

@Suite struct TransformConfigurationTests {
    @Test func loadsBothFilesAndHashesThem() throws {
        let folder = try ConfigurationFolder(files: ["boilerplate.yaml": boilerplateYAML, "themes.yaml": themesYAML])
        let configuration = try TransformConfiguration.load(from: folder.url)
        #expect(configuration.boilerplate.entries.map(\.text) == ["اظهر المزيد", "اقرأ أيضا"])
        #expect(configuration.boilerplate.entries.map(\.rule) == ["line", "prefix"])
        #expect(configuration.themes.themes.map(\.code) == ["civilians"])
        // sha256sum of "boilerplate.yaml", its bytes, "themes.yaml", its bytes.
        #expect(configuration.hash == "9856bdc4215dad38c51a82540719ddddf7985c25bbc8138d5db11d6d9b667798")
        #expect(configuration.themes.version == "9856bdc4215dad38")
    }

    @Test(arguments: [
        // themes.yaml missing
        (["boilerplate.yaml": boilerplateYAML], "themes.yaml", "missing or unreadable"),
        // boilerplate.yaml missing
        (["themes.yaml": themesYAML], "boilerplate.yaml", "missing or unreadable"),
        // a key the boilerplate file does not know
        (["boilerplate.yaml": "lines: [a]\nextra: 1\n", "themes.yaml": themesYAML], "boilerplate.yaml", "unknown keys: extra"),
        // a blank entry
        (["boilerplate.yaml": "lines:\n  - اظهر المزيد\n  - \"  \"\n", "themes.yaml": themesYAML], "boilerplate.yaml",
         "'lines' entry 2 must be a non-empty string"),
        // prefixes not a list
        (["boilerplate.yaml": "prefixes: اقرأ أيضا\n", "themes.yaml": themesYAML], "boilerplate.yaml",
         "'prefixes' must be a list of strings"),
        // an error in the lexicon names the lexicon file
        (["boilerplate.yaml": boilerplateYAML, "themes.yaml": "themes: []\n"], "themes.yaml", "'themes' must be a non-empty list"),
    ])
    func refusesBadFolder(_ files: [String: String], _ fileName: String, _ fragment: String) throws {
        let folder = try ConfigurationFolder(files: files)
        do {
            _ = try TransformConfiguration.load(from: folder.url)
            Issue.record("accepted: \(files)")
        } catch {
            #expect(error.file == folder.url.appendingPathComponent(fileName).path, "files: \(files)")
            #expect(error.reason.contains(fragment), "files: \(files) reason: \(error.reason)")
            #expect(error.description == "\(error.file): \(error.reason)")
        }
    }
}
