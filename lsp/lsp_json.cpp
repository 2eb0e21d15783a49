#include "lsp_json.h"

#include <QFile>
#include <QUrl>

#include <algorithm>
#include <cctype>

namespace taplsp {

using tapide::CompletionContextKind;
using tapide::CompletionKind;

namespace {

// LSP's CompletionItemKind and SymbolKind numbers.
int completionKind(CompletionKind k) {
    switch (k) {
    case CompletionKind::Local:
        return 6; // Variable
    case CompletionKind::TargetVar:
        return 5; // Field
    case CompletionKind::Global:
        return 6; // Variable
    case CompletionKind::ScriptFunction:
        return 3; // Function
    case CompletionKind::Function:
        return 3; // Function
    case CompletionKind::Builtin:
        return 3; // Function
    case CompletionKind::AtOperator:
        return 24; // Operator
    case CompletionKind::Keyword:
        return 14; // Keyword
    case CompletionKind::ProbeComponent:
        return 9; // Module
    case CompletionKind::ProbePoint:
        return 23; // Event
    case CompletionKind::Tracepoint:
        return 23; // Event
    case CompletionKind::Snippet:
        return 15; // Snippet
    }
    return 1;
}

constexpr int kSymbolFunction = 12, kSymbolVariable = 13, kSymbolEvent = 24;

QString snippetEscaped(const QString& s) {
    QString out;
    for (QChar c : s) {
        if (c == '$' || c == '}' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

QJsonObject diagnosticJson(const TextDocument& doc, const tapide::ScriptDiagnostic& d) {
    Position at = d.inScript ? doc.positionOfLineColumn(d.line, d.col) : Position{};
    QJsonObject out{
        {"range", QJsonObject{{"start", toJson(at)}, {"end", toJson(at)}}},
        {"severity", d.error ? 1 : 2},
        {"source", "tstap"},
        {"message", d.text.trimmed()},
    };
    if (!d.phase.isEmpty()) out["code"] = d.phase;
    QJsonArray related;
    for (const tapide::ScriptDiagnostic& n : d.notes) {
        if (n.file.isEmpty() || n.line <= 0) continue;
        Position p{n.line - 1, std::max(n.col - 1, 0)};
        QJsonObject range{{"start", toJson(p)}, {"end", toJson(p)}};
        related.append(
            QJsonObject{{"location", QJsonObject{{"uri", uriOfPath(n.file)}, {"range", range}}},
                        {"message", n.headline()}});
    }
    if (!related.isEmpty()) out["relatedInformation"] = related;
    return out;
}

QJsonObject symbolJson(const TextDocument& doc, const QString& name, int kind, int start, int end,
                       int selectionEnd, const QString& detail) {
    QJsonObject out{
        {"name", name},
        {"kind", kind},
        {"range", rangeJson(doc, start, end)},
        {"selectionRange", rangeJson(doc, start, std::clamp(selectionEnd, start, end))}};
    if (!detail.isEmpty()) out["detail"] = detail;
    return out;
}

QJsonObject variableSymbol(const TextDocument& doc, const tapide::VarInfo& v) {
    int start = doc.offsetAt(doc.positionOfLineColumn(v.line, v.col));
    int end = start + int(v.name.toUtf8().size());
    return symbolJson(doc, v.name, kSymbolVariable, start, end, end, v.type);
}

} // namespace

QJsonObject toJson(Position p) {
    return {{"line", p.line}, {"character", p.character}};
}

Position positionFromJson(const QJsonValue& v) {
    QJsonObject o = v.toObject();
    return {o["line"].toInt(), o["character"].toInt()};
}

QJsonObject rangeJson(const TextDocument& doc, int startOffset, int endOffset) {
    return {{"start", toJson(doc.positionAt(startOffset))},
            {"end", toJson(doc.positionAt(endOffset))}};
}

QString pathOfUri(const QString& uri) {
    QUrl url(uri);
    return url.isLocalFile() ? url.toLocalFile() : uri;
}

QString uriOfPath(const QString& path) {
    return QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded);
}

QJsonArray diagnosticsJson(const TextDocument& doc, const tapide::ScriptAnalysis& analysis) {
    QJsonArray out;
    for (const tapide::ScriptDiagnostic& d : analysis.diagnostics)
        out.append(diagnosticJson(doc, d));
    return out;
}

QJsonObject completionItemJson(const tapide::CompletionItem& item,
                               const tapide::CompletionContext& ctx, const TextDocument& doc,
                               int cursor, bool snippets, int rank) {
    int start = ctx.replaceStart;
    int end = std::max(ctx.replaceEnd, cursor);
    QString insert = item.insert;
    QString closing; // a probe point's string left open is closed after the item, as in the IDE
    if (ctx.kind == CompletionContextKind::ProbeString) {
        end = std::max(ctx.replaceEnd, start);
        const std::string& text = doc.text();
        size_t after = size_t(end);
        if (!item.retrigger && (after >= text.size() || text[after] != '"'))
            closing = (after >= text.size() || text[after] != ')') ? "\")" : "\"";
    }
    QJsonObject out{{"label", item.label},
                    {"kind", completionKind(item.kind)},
                    {"filterText", item.name.isEmpty() ? item.label : item.name},
                    {"sortText", QString("%1").arg(rank, 5, 10, QChar('0'))}};
    if (!item.detail.isEmpty()) out["detail"] = item.detail;
    if (!item.doc.isEmpty())
        out["documentation"] = QJsonObject{{"kind", "plaintext"}, {"value", item.doc}};
    QString newText = insert + closing;
    if (snippets && item.cursor >= 0 && closing.isEmpty()) {
        QString placeholder = insert.mid(item.cursor, item.select);
        newText =
            snippetEscaped(insert.left(item.cursor)) +
            (placeholder.isEmpty() ? QString("$0") : "${1:" + snippetEscaped(placeholder) + "}") +
            snippetEscaped(insert.mid(item.cursor + item.select));
        out["insertTextFormat"] = 2;
    }
    out["textEdit"] = QJsonObject{{"range", rangeJson(doc, start, end)}, {"newText", newText}};
    return out;
}

QJsonArray documentSymbolsJson(const TextDocument& doc, const tapide::ScriptAnalysis& analysis) {
    struct Entry {
        int start;
        QJsonObject symbol;
    };
    std::vector<Entry> entries;
    for (const tapide::ScopeInfo& s : analysis.scopes) {
        int end = s.bodyEnd >= 0 ? s.bodyEnd : s.headerStart;
        int selectionEnd = s.bodyStart >= 0 ? s.bodyStart : end;
        // Up to the `{`, without the blanks before it.
        while (selectionEnd > s.headerStart &&
               std::isspace((unsigned char)doc.text()[size_t(selectionEnd - 1)]))
            --selectionEnd;
        bool function = s.kind == tapide::ScopeInfo::Function;
        QString detail = function                             ? s.returnType
                         : s.kind == tapide::ScopeInfo::Alias ? "alias"
                                                              : "probe";
        QJsonObject symbol = symbolJson(doc, s.name, function ? kSymbolFunction : kSymbolEvent,
                                        s.headerStart, end, selectionEnd, detail);
        QJsonArray children;
        for (const tapide::VarInfo& v : s.locals)
            if (v.line > 0) children.append(variableSymbol(doc, v));
        if (!children.isEmpty()) symbol["children"] = children;
        entries.push_back({s.headerStart, symbol});
    }
    for (const tapide::VarInfo& g : analysis.globals)
        if (g.line > 0)
            entries.push_back(
                {doc.offsetAt(doc.positionOfLineColumn(g.line, g.col)), variableSymbol(doc, g)});
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.start < b.start; });
    QJsonArray out;
    for (const Entry& e : entries)
        out.append(e.symbol);
    return out;
}

QJsonObject locationJson(const tapide::DefinitionTarget& target, const TextDocument& doc,
                         const QString& uri) {
    if (target.inScript()) {
        Position at = target.offset >= 0 ? doc.positionAt(target.offset)
                                         : doc.positionOfLineColumn(target.line, target.col);
        return {{"uri", uri}, {"range", QJsonObject{{"start", toJson(at)}, {"end", toJson(at)}}}};
    }
    // Tapsets are ASCII: the byte column is the UTF-16 one.
    Position at{std::max(target.line - 1, 0), std::max(target.col - 1, 0)};
    return {{"uri", uriOfPath(target.file)},
            {"range", QJsonObject{{"start", toJson(at)}, {"end", toJson(at)}}}};
}

} // namespace taplsp
