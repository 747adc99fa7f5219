import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import SyncConformance

extension ConformanceIntegration {
    /// `sync-conformance probe`: what it finds on the reference server with and without test
    /// control, and how it copes with a server that authenticates before it routes.
    @Suite struct ProbeTests {
        private static let undecided = ["heartbeat-timing", "storage-quota"]

        @Test func theReferenceServerShowsEveryVisibleFeature() async throws {
            let server = try ConformanceServer()
            try await server.start()
            defer { server.stop() }
            let path = server.directory.appendingPathComponent("probed.yaml").path
            let run = try await runConformanceBinary(["probe", "--server", server.url, "--secret", server.secret,
                                                      "--name", "probed: \"reference\"", "--write-profile", path])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("http-sync         supported  GET /v1/sync/cursor without a token: 401 unauthorized (an unknown path: 404 not_found)"))
            let profile = try Profile.load(path: path)
            #expect(profile.name == "probed: \"reference\"")
            #expect(profile.features == VectorFormat.features.filter { !Self.undecided.contains($0) })

            // Without a token source the endpoints still show; only token forging is open.
            let bare = try await runConformanceBinary(["probe", "--server", server.url])
            #expect(bare.status == 0, "\(bare.stdout)\n\(bare.stderr)")
            let start = try #require(bare.stdout.range(of: "# Suggested")?.lowerBound)
            let printed = try Profile.parse(String(bare.stdout[start...]), file: "stdout")
            #expect(printed.features == VectorFormat.features.filter { !Self.undecided.contains($0) && $0 != "token-forging" })
            #expect(bare.stdout.contains("token-forging     undecided"))
        }

        @Test func aServerWithoutTestControlLacksItsFeatures() async throws {
            let plain = try ConformanceServer(leadingArguments: ["serve"])
            try await plain.start()
            defer { plain.stop() }
            let findings = try await FeatureProbe.probe(try #require(TargetServer(url: plain.url)), tokens: .hs256(secret: Array(plain.secret.utf8)))
            let verdicts = Dictionary(uniqueKeysWithValues: findings.map { ($0.feature, $0.verdict) })
            for feature in ["test-control", "clock-control", "rate-limits"] { #expect(verdicts[feature] == .absent, "\(feature)") }
            for feature in ["http-sync", "uploads", "files", "manual-review", "health", "metrics", "token-forging"] {
                #expect(verdicts[feature] == .supported, "\(feature)")
            }
        }

        /// Unknown paths answer 401 like protected ones: a token tells, except for files.
        @Test func aServerThatAuthenticatesFirstIsAskedWithAToken() async throws {
            let stub = try await AuthFirstStub.start()
            defer { stub.close() }
            let target = try #require(TargetServer(url: "http://127.0.0.1:\(stub.port)"))
            let withToken = try await FeatureProbe.probe(target, tokens: .hs256(secret: Array("s".utf8)))
            let verdicts = Dictionary(uniqueKeysWithValues: withToken.map { ($0.feature, $0.verdict) })
            #expect(verdicts["http-sync"] == .supported && verdicts["uploads"] == .supported)
            #expect(verdicts["files"] == .undecided)
            for feature in ["test-control", "clock-control", "manual-review", "health", "metrics", "rate-limits"] {
                #expect(verdicts[feature] == .absent, "\(feature)")
            }
            #expect(withToken.first { $0.feature == "uploads" }?.evidence
                == "POST /v1/uploads with a token: 400 invalid_message (an unknown path: 404 not_found)")

            let without = try await FeatureProbe.probe(target, tokens: nil)
            #expect(without.filter { $0.verdict != .undecided }.isEmpty)
            #expect(without.first { $0.feature == "http-sync" }?.evidence.hasSuffix("give --secret, --key or --token-command to ask with one") == true)
        }

        @Test func anUnreachableServerExitsTwo() async throws {
            let run = try await runConformanceBinary(["probe", "--server", "http://127.0.0.1:1"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("not reachable"))
        }
    }
}

/// An HTTP server that answers 401 to every request without a token, and with one serves only
/// `GET /v1/sync/cursor` and refuses `POST /v1/uploads` bodies; anything else is `not_found`.
private enum AuthFirstStub {
    static func start() async throws -> Listener {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in child.pipeline.addHandler(RequestHandler()) }
            .bind(host: "127.0.0.1", port: 0).get()
        return Listener(channel: channel)
    }

    struct Listener {
        let channel: any Channel
        var port: Int { channel.localAddress?.port ?? 0 }
        func close() { channel.close(promise: nil) }
    }

    /// Collects one request (head and `Content-Length` body), answers it and closes.
    final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
        // Used only on its channel's event loop.
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var received: [UInt8] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += Array(buffer: unwrapInboundIn(data))
            let text = String(decoding: received, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return }
            let head = text[..<end.lowerBound].lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            guard received.count >= text[..<end.upperBound].utf8.count + length else { return }
            let line = head.split(separator: "\r\n").first ?? ""
            let (status, body) = switch (head.contains("authorization: bearer"), line) {
            case (false, _): ("401 Unauthorized", #"{"code":"unauthorized"}"#)
            case (true, "get /v1/sync/cursor http/1.1"): ("200 OK", #"{"cursor":null}"#)
            case (true, "post /v1/uploads http/1.1"): ("400 Bad Request", #"{"code":"invalid_message"}"#)
            default: ("404 Not Found", #"{"code":"not_found"}"#)
            }
            let response = "HTTP/1.1 \(status)\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
