import Foundation

enum Secrets {
    static let apiKey = "Q7CF5puzQqmOBZZW6m4nyoL6"
    static let clientSecret = "uniiFw152cTe8r0khCEr"
    static let passwordPrompt = NSLocalizedString("Enter your password", comment: "login field")
    static let password = ProcessInfo.processInfo.environment["APP_PASSWORD"] ?? ""
}

struct Login {
    let username: String
    let password: String
}
