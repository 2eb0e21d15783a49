#include "language_server.h"

#include "catalogue_cache.h"
#include "elf_symbols.h"
#include "lsp_json.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QProcess>
#include <QtConcurrent>

#include <algorithm>

namespace taplsp {

namespace {

constexpr char kGeneratedCodeCommand[] = "tapstudio.generatedCode";
constexpr char kVersion[] = "0.1";

QString uriOf(const QJsonObject& params) {
    return params["textDocument"].toObject()["uri"].toString();
}

} // namespace

LanguageServer::LanguageServer(std::function<void(const QByteArray&)> send, QString tstap,
                               QObject* parent)
    : QObject(parent), send_(std::move(send)), tstap_(std::move(tstap)) {
    qRegisterMetaType<tapide::ScriptAnalysis>();
    // Analyses get their own thread so that indexing never delays them.
    analysisPool_.setMaxThreadCount(1);
    connect(&indexer_, &tapide::CatalogueIndexer::snapshotChanged, this,
            &LanguageServer::retryWaiting);
    connect(&indexer_, &tapide::CatalogueIndexer::finished, this, [this](double ms) {
        notify("window/logMessage",
               {{"type", 3},
                {"message", QString("tapsets, tracepoints and probe points indexed in %1 ms%2")
                                .arg(qRound(ms))
                                .arg(indexer_.snapshot()->fromCache ? " (from the cache)" : "")}});
    });
}

LanguageServer::~LanguageServer() {
    indexer_.disconnect(this); // nothing is sent after `exit`
    analysisPool_.waitForDone();
    indexer_.waitForFinished();
}

void LanguageServer::post(QByteArray body) {
    QMutexLocker lock(&inboxLock_);
    bool first = inbox_.empty();
    inbox_.push_back(std::move(body));
    if (first) QMetaObject::invokeMethod(this, &LanguageServer::drain, Qt::QueuedConnection);
}

void LanguageServer::drain() {
    std::vector<QByteArray> batch;
    {
        QMutexLocker lock(&inboxLock_);
        batch.swap(inbox_);
    }
    std::vector<QJsonObject> messages;
    std::vector<QJsonValue> cancelled;
    for (const QByteArray& body : batch) {
        QJsonParseError error;
        QJsonDocument json = QJsonDocument::fromJson(body, &error);
        if (!json.isObject()) {
            replyError(QJsonValue::Null, kParseError,
                       error.error != QJsonParseError::NoError ? error.errorString()
                                                               : "not a JSON object");
            continue;
        }
        QJsonObject message = json.object();
        if (message["method"].toString() == "$/cancelRequest")
            cancelled.push_back(message["params"].toObject()["id"]);
        messages.push_back(std::move(message));
    }
    // A cancel also reaches requests still waiting from earlier batches.
    for (const QJsonValue& id : cancelled) {
        auto it = std::find_if(waiting_.begin(), waiting_.end(),
                               [&](const Request& r) { return r.id == id; });
        if (it != waiting_.end()) {
            replyError(it->id, kRequestCancelled, "cancelled");
            waiting_.erase(it);
        }
    }
    for (const QJsonObject& message : messages)
        handle(message, cancelled);
}

void LanguageServer::handle(const QJsonObject& message, const std::vector<QJsonValue>& cancelled) {
    QString method = message["method"].toString();
    QJsonObject params = message["params"].toObject();
    if (!message.contains("id")) {
        notification(method, params);
        return;
    }
    Request r{message["id"], method, params};
    if (method.isEmpty()) return; // a response: the server sends no requests
    if (std::find(cancelled.begin(), cancelled.end(), r.id) != cancelled.end())
        return replyError(r.id, kRequestCancelled, "cancelled");
    if (method == "initialize") {
        initialized_ = true;
        reply(r.id, initializeResult(params));
        indexer_.start();
        return;
    }
    if (!initialized_) return replyError(r.id, kServerNotInitialized, "initialize first");
    if (shutDown_) return replyError(r.id, kInvalidRequest, "the server is shutting down");
    if (method == "shutdown") {
        shutDown_ = true;
        return reply(r.id, QJsonValue::Null);
    }
    if (!answer(r)) waiting_.push_back(std::move(r));
}

void LanguageServer::notification(const QString& method, const QJsonObject& params) {
    if (method == "exit") {
        emit exitRequested(shutDown_ ? 0 : 1);
    } else if (!initialized_ || shutDown_) {
        return;
    } else if (method == "textDocument/didOpen") {
        didOpen(params);
    } else if (method == "textDocument/didChange") {
        didChange(params);
    } else if (method == "textDocument/didClose") {
        QString uri = uriOf(params);
        documents_.erase(uri);
        notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", QJsonArray()}});
    }
}

bool LanguageServer::answer(const Request& r) {
    if (r.method == "workspace/executeCommand") {
        if (r.params["command"].toString() != kGeneratedCodeCommand) {
            replyError(r.id, kInvalidParams, "unknown command " + r.params["command"].toString());
            return true;
        }
        generatedCode(r);
        return true;
    }
    static const QStringList documentMethods = {
        "textDocument/completion", "textDocument/hover", "textDocument/signatureHelp",
        "textDocument/definition", "textDocument/documentSymbol"};
    if (!documentMethods.contains(r.method)) {
        replyError(r.id, kMethodNotFound, "unsupported method " + r.method);
        return true;
    }
    Document* doc = document(r.params);
    if (!doc) {
        replyError(r.id, kInvalidParams, "document not open: " + uriOf(r.params));
        return true;
    }
    // Names of the script's own locals and globals come from its analysis,
    // tapset functions and aliases from the library: wait for both, the
    // analysis of the text as it is now (an older one's positions and probe
    // points are another text's: a completion just after an edit was empty).
    tapide::CatalogueSnapshotPtr snapshot = indexer_.snapshot();
    if (!doc->hasAnalysis || doc->analysis.generation != doc->generation || !snapshot->library)
        return false;
    if (r.method == "textDocument/completion") {
        std::optional<QJsonValue> result = completion(*doc, r.params);
        if (!result) return false;
        reply(r.id, *result);
    } else if (r.method == "textDocument/hover") {
        reply(r.id, hover(*doc, r.params));
    } else if (r.method == "textDocument/signatureHelp") {
        reply(r.id, signatureHelp(*doc, r.params));
    } else if (r.method == "textDocument/definition") {
        reply(r.id, definition(*doc, r.params));
    } else {
        reply(r.id, documentSymbols(*doc));
    }
    return true;
}

void LanguageServer::retryWaiting() {
    std::vector<Request> waiting;
    waiting.swap(waiting_);
    for (Request& r : waiting)
        if (!answer(r)) waiting_.push_back(std::move(r));
}

void LanguageServer::reply(const QJsonValue& id, const QJsonValue& result) {
    QJsonObject m{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
    send_(QJsonDocument(m).toJson(QJsonDocument::Compact));
}

void LanguageServer::replyError(const QJsonValue& id, int code, const QString& message) {
    QJsonObject m{{"jsonrpc", "2.0"},
                  {"id", id},
                  {"error", QJsonObject{{"code", code}, {"message", message}}}};
    send_(QJsonDocument(m).toJson(QJsonDocument::Compact));
}

void LanguageServer::notify(const QString& method, const QJsonObject& params) {
    QJsonObject m{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}};
    send_(QJsonDocument(m).toJson(QJsonDocument::Compact));
}

QJsonObject LanguageServer::initializeResult(const QJsonObject& params) {
    snippets_ =
        params["capabilities"]["textDocument"]["completion"]["completionItem"]["snippetSupport"]
            .toBool();
    QJsonObject capabilities{
        {"positionEncoding", "utf-16"},
        {"textDocumentSync", QJsonObject{{"openClose", true}, {"change", 2}}}, // incremental
        {"completionProvider",
         QJsonObject{{"triggerCharacters", QJsonArray{".", "(", "\"", "$", "@", ">", ":"}},
                     {"resolveProvider", false}}},
        {"hoverProvider", true},
        {"signatureHelpProvider", QJsonObject{{"triggerCharacters", QJsonArray{"(", ","}}}},
        {"definitionProvider", true},
        {"documentSymbolProvider", true},
        {"executeCommandProvider", QJsonObject{{"commands", QJsonArray{kGeneratedCodeCommand}}}},
    };
    return {{"capabilities", capabilities},
            {"serverInfo", QJsonObject{{"name", "tstap"}, {"version", kVersion}}}};
}

LanguageServer::Document* LanguageServer::document(const QJsonObject& params) {
    auto it = documents_.find(uriOf(params));
    return it == documents_.end() ? nullptr : &it->second;
}

void LanguageServer::didOpen(const QJsonObject& params) {
    QJsonObject item = params["textDocument"].toObject();
    QString uri = item["uri"].toString();
    Document& doc = documents_[uri];
    doc.text.setText(item["text"].toString().toStdString());
    doc.version = item["version"].toInt();
    doc.fileName = pathOfUri(uri);
    doc.generation = ++lastGeneration_;
    analyse(uri);
}

void LanguageServer::didChange(const QJsonObject& params) {
    Document* doc = document(params);
    if (!doc) return;
    doc->version = params["textDocument"].toObject()["version"].toInt();
    for (const QJsonValue& change : params["contentChanges"].toArray()) {
        QJsonObject c = change.toObject();
        std::string text = c["text"].toString().toStdString();
        if (c.contains("range")) {
            QJsonObject range = c["range"].toObject();
            doc->text.replace(positionFromJson(range["start"]), positionFromJson(range["end"]),
                              text);
        } else {
            doc->text.setText(std::move(text));
        }
    }
    doc->generation = ++lastGeneration_;
    analyse(uriOf(params));
}

void LanguageServer::analyse(const QString& uri) {
    Document& doc = documents_[uri];
    if (doc.analysing) return; // analysed() starts again for the newer text
    doc.analysing = true;
    auto* watcher = new QFutureWatcher<tapide::ScriptAnalysis>(this);
    connect(watcher, &QFutureWatcher<tapide::ScriptAnalysis>::finished, this, [this, watcher, uri] {
        watcher->deleteLater();
        analysed(uri, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        &analysisPool_, [text = doc.text.text(), name = doc.fileName, generation = doc.generation] {
            return tapide::analyseScript(text, name, generation);
        }));
}

void LanguageServer::analysed(const QString& uri, const tapide::ScriptAnalysis& result) {
    auto it = documents_.find(uri);
    if (it == documents_.end()) return; // closed meanwhile
    Document& doc = it->second;
    doc.analysing = false;
    if (result.generation != doc.generation) {
        analyse(uri);
        return;
    }
    doc.analysis = result;
    doc.hasAnalysis = true;
    publishDiagnostics(uri, doc);
    retryWaiting();
}

void LanguageServer::publishDiagnostics(const QString& uri, const Document& doc) {
    notify("textDocument/publishDiagnostics",
           {{"uri", uri},
            {"version", doc.version},
            {"diagnostics", diagnosticsJson(doc.text, doc.analysis)}});
}

std::optional<QJsonValue> LanguageServer::completion(Document& doc, const QJsonObject& params) {
    int cursor = doc.text.offsetAt(positionFromJson(params["position"]));
    tapide::CompletionResult result =
        engine_.complete(doc.text.text(), cursor, doc.analysis, indexer_.snapshot());
    if (!result.pendingBinary.isEmpty()) {
        // The binary's symbols are read off this thread; the request waits for them.
        if (loadingBinary_ != result.pendingBinary) {
            loadingBinary_ = result.pendingBinary;
            auto* watcher = new QFutureWatcher<tapide::ElfFunctionTablePtr>(this);
            connect(watcher, &QFutureWatcher<tapide::ElfFunctionTablePtr>::finished, this,
                    [this, watcher] {
                        watcher->deleteLater();
                        loadingBinary_.clear();
                        retryWaiting();
                    });
            watcher->setFuture(tapide::loadElfFunctionsAsync(result.pendingBinary));
        }
        return std::nullopt;
    }
    QJsonArray items;
    for (int i = 0; i < result.items.size(); ++i)
        items.append(
            completionItemJson(result.items[i], result.context, doc.text, cursor, snippets_, i));
    return QJsonObject{{"isIncomplete", result.partial}, {"items", items}};
}

QJsonValue LanguageServer::hover(Document& doc, const QJsonObject& params) {
    int pos = doc.text.offsetAt(positionFromJson(params["position"]));
    tapide::HoverDoc h =
        engine_.hoverDocAt(doc.text.text(), pos, doc.analysis, indexer_.snapshot());
    if (h.empty()) return QJsonValue::Null;
    QString value = "```systemtap\n" + h.title + "\n```";
    if (!h.body.isEmpty()) value += "\n" + h.body;
    return QJsonObject{{"contents", QJsonObject{{"kind", "markdown"}, {"value", value}}},
                       {"range", rangeJson(doc.text, h.start, h.end)}};
}

QJsonValue LanguageServer::signatureHelp(Document& doc, const QJsonObject& params) {
    int cursor = doc.text.offsetAt(positionFromJson(params["position"]));
    tapide::SignatureHelp h =
        engine_.signatureAt(doc.text.text(), cursor, doc.analysis, indexer_.snapshot());
    if (!h.valid) return QJsonValue::Null;
    QJsonObject signature{{"label", h.signature}};
    if (!h.summary.isEmpty()) signature["documentation"] = h.summary;
    if (h.paramStart >= 0) {
        // QString offsets are UTF-16 offsets, as the protocol counts.
        signature["parameters"] =
            QJsonArray{QJsonObject{{"label", QJsonArray{h.paramStart, h.paramEnd}}}};
        signature["activeParameter"] = 0;
    }
    return QJsonObject{
        {"signatures", QJsonArray{signature}}, {"activeSignature", 0}, {"activeParameter", 0}};
}

QJsonValue LanguageServer::definition(Document& doc, const QJsonObject& params) {
    int pos = doc.text.offsetAt(positionFromJson(params["position"]));
    tapide::DefinitionTarget target =
        tapide::findDefinition(doc.text.text(), pos, doc.analysis, indexer_.snapshot());
    if (!target.valid()) return QJsonValue::Null;
    return locationJson(target, doc.text, uriOf(params));
}

QJsonValue LanguageServer::documentSymbols(Document& doc) {
    return documentSymbolsJson(doc.text, doc.analysis);
}

void LanguageServer::generatedCode(const Request& r) {
    QString uri = r.params["arguments"].toArray().at(0).toString();
    auto it = documents_.find(uri);
    if (it == documents_.end())
        return replyError(r.id, kInvalidParams, "document not open: " + uri);
    // As the IDE's view: tstap -p3 on the text as it is, from the script's folder.
    auto* process = new QProcess(this);
    QString dir = QFileInfo(it->second.fileName).absolutePath();
    if (QDir(dir).exists()) process->setWorkingDirectory(dir);
    connect(process, &QProcess::finished, this,
            [this, process, id = r.id](int exitCode, QProcess::ExitStatus status) {
                process->deleteLater();
                QString err = QString::fromUtf8(process->readAllStandardError()).trimmed();
                if (status != QProcess::NormalExit || exitCode != 0)
                    return replyError(id, kInvalidRequest, "tstap -p3 failed: " + err);
                reply(id,
                      QJsonObject{{"language", "c"},
                                  {"text", QString::fromUtf8(process->readAllStandardOutput())}});
            });
    connect(process, &QProcess::errorOccurred, this,
            [this, process, id = r.id](QProcess::ProcessError e) {
                if (e != QProcess::FailedToStart) return;
                process->deleteLater();
                replyError(id, kInvalidRequest,
                           "cannot start " + tstap_ + ": " + process->errorString());
            });
    process->start(tstap_, {"-p3", "-"});
    process->write(QByteArray::fromStdString(it->second.text.text()));
    process->closeWriteChannel();
}

} // namespace taplsp
