#include "printf_arguments.h"

#include <QRegularExpression>

namespace tapgraphs {

QStringList printfArguments(const QString& scriptText, int line) {
    if (line < 1) return {};
    // The call starts on `line` and may continue over the lines after it.
    qsizetype start = 0;
    for (int l = 1; l < line; ++l) {
        start = scriptText.indexOf('\n', start);
        if (start < 0) return {};
        ++start;
    }
    qsizetype lineEnd = scriptText.indexOf('\n', start);
    static const QRegularExpression call(R"(\bprintf\s*\()");
    QRegularExpressionMatch m = call.match(scriptText, start);
    if (!m.hasMatch() || (lineEnd >= 0 && m.capturedStart() > lineEnd)) return {};
    QStringList args;
    QString current;
    int depth = 0;
    bool inString = false;
    for (qsizetype i = m.capturedEnd(); i < scriptText.size(); ++i) {
        QChar c = scriptText[i];
        if (inString) {
            current += c;
            if (c == '\\' && i + 1 < scriptText.size())
                current += scriptText[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '(' || c == '[')
            ++depth;
        else if ((c == ')' || c == ']') && depth > 0)
            --depth;
        else if (c == ')' || (c == ',' && depth == 0)) {
            args << current.simplified();
            current.clear();
            if (c == ')') break;
            continue;
        }
        current += c;
    }
    if (!args.isEmpty()) args.removeFirst(); // the format
    return args;
}

QString nameForArgument(const QString& expression) {
    static const QRegularExpression lead(R"(^[@$]*([A-Za-z_][A-Za-z0-9_]*))");
    QRegularExpressionMatch m = lead.match(expression.trimmed());
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace tapgraphs
