// What the IDE's logic knows, in the shapes of the Language Server Protocol:
// positions and ranges (UTF-16 columns), diagnostics, completion items,
// document symbols and definition locations.
#pragma once

#include "completion_engine.h"
#include "definition_finder.h"
#include "script_analysis.h"
#include "text_document.h"

#include <QJsonArray>
#include <QJsonObject>

namespace taplsp {

QJsonObject toJson(Position p);
Position positionFromJson(const QJsonValue& v);
QJsonObject rangeJson(const TextDocument& doc, int startOffset, int endOffset);

// file:// URIs and local paths.
QString pathOfUri(const QString& uri);
QString uriOfPath(const QString& path);

// The analysis's diagnostics on `doc`, each with the text tstap prints.
// Those located elsewhere (a tapset) are shown at the top of the document.
QJsonArray diagnosticsJson(const TextDocument& doc, const tapide::ScriptAnalysis& analysis);

// A completion item that replaces the completed range; with `snippets`, the
// engine's cursor and placeholder become a snippet's tab stop.
QJsonObject completionItemJson(const tapide::CompletionItem& item,
                               const tapide::CompletionContext& ctx, const TextDocument& doc,
                               int cursor, bool snippets, int rank);

// Probes, aliases and functions (with their locals) and globals, in file order.
QJsonArray documentSymbolsJson(const TextDocument& doc, const tapide::ScriptAnalysis& analysis);

// The Location of a definition; `uri` is the script's own.
QJsonObject locationJson(const tapide::DefinitionTarget& target, const TextDocument& doc,
                         const QString& uri);

} // namespace taplsp
