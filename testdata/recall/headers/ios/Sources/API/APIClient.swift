import Foundation

final class APIClient {
    func request(for url: URL) -> URLRequest {
        var request = URLRequest(url: url)
        request.setValue("Bearer FjsW27eJSHSgruXnfv6q5sumYW7T9ZDSMm36", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return request
    }

    func request(for url: URL, token: String) -> URLRequest {
        var request = URLRequest(url: url)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
    }
}
