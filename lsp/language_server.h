// The language server: LSP requests and notifications over the IDE's own
// logic (taplanguage): diagnostics from passes 1-2 on a worker thread,
// completion, hover, signature help, go to definition and document symbols
// from the completion engine and the background catalogue index (with its
// disk cache), and the generated BPF C through `tstap -p3`.
//
// Messages arrive through post() from any thread and are handled on the
// server's thread in batches: a $/cancelRequest cancels a request of the
// same batch or one still waiting (for a document's first analysis, the
// tapset library, or a binary's symbols). Nothing slow runs on this thread.
#pragma once

#include "catalogue_indexer.h"
#include "completion_engine.h"
#include "script_analysis.h"
#include "text_document.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <map>
#include <vector>

namespace taplsp {

// JSON-RPC and LSP error codes.
enum ErrorCode {
    kParseError = -32700,
    kInvalidRequest = -32600,
    kMethodNotFound = -32601,
    kInvalidParams = -32602,
    kServerNotInitialized = -32002,
    kRequestCancelled = -32800,
};

class LanguageServer : public QObject {
    Q_OBJECT
  public:
    // `send` receives every outgoing message body (JSON); `tstap` runs -p3.
    LanguageServer(std::function<void(const QByteArray&)> send, QString tstap,
                   QObject* parent = nullptr);
    ~LanguageServer() override;

    // Thread-safe: queues a message body for the server's thread.
    void post(QByteArray body);
    // The index is kept in this file between runs ("" = none).
    void setCacheFile(const QString& path) { indexer_.setCacheFile(path); }

  signals:
    // After `exit`: 0 when `shutdown` came first, as the protocol asks.
    void exitRequested(int code);

  private:
    struct Request {
        QJsonValue id;
        QString method;
        QJsonObject params;
    };
    struct Document {
        TextDocument text;
        int version = 0;
        quint64 generation =
            0; // new with every change (server-wide, so a reopened document's differ)
        bool analysing = false;
        bool hasAnalysis = false;
        tapide::ScriptAnalysis analysis;
        QString fileName; // what diagnostics call the script
    };

    void drain();
    void handle(const QJsonObject& message, const std::vector<QJsonValue>& cancelled);
    void notification(const QString& method, const QJsonObject& params);
    // Answers `r`, or returns false when it must wait (see above).
    bool answer(const Request& r);
    void retryWaiting();

    void reply(const QJsonValue& id, const QJsonValue& result);
    void replyError(const QJsonValue& id, int code, const QString& message);
    void notify(const QString& method, const QJsonObject& params);

    QJsonObject initializeResult(const QJsonObject& params);
    void didOpen(const QJsonObject& params);
    void didChange(const QJsonObject& params);
    void analyse(const QString& uri);
    void analysed(const QString& uri, const tapide::ScriptAnalysis& result);
    void publishDiagnostics(const QString& uri, const Document& doc);

    Document* document(const QJsonObject& params);
    std::optional<QJsonValue> completion(Document& doc, const QJsonObject& params);
    QJsonValue hover(Document& doc, const QJsonObject& params);
    QJsonValue signatureHelp(Document& doc, const QJsonObject& params);
    QJsonValue definition(Document& doc, const QJsonObject& params);
    QJsonValue documentSymbols(Document& doc);
    void generatedCode(const Request& r);

    std::function<void(const QByteArray&)> send_;
    QString tstap_;
    QMutex inboxLock_;
    std::vector<QByteArray> inbox_;
    std::vector<Request> waiting_;
    std::map<QString, Document> documents_;
    tapide::CatalogueIndexer indexer_;
    tapide::CompletionEngine engine_;
    QThreadPool analysisPool_;
    QString loadingBinary_;
    quint64 lastGeneration_ = 0;
    bool initialized_ = false, shutDown_ = false;
    bool snippets_ = false; // the client takes snippet completions
};

} // namespace taplsp
