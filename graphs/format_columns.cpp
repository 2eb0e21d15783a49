#include "format_columns.h"

#include <QRegularExpression>
#include <QSet>

namespace tapgraphs {

namespace {

// The last word of the literal text before a directive: "read bytes=" → "bytes".
QString lastWord(const QString& text) {
    static const QRegularExpression word(R"(([A-Za-z_][A-Za-z0-9_]*)\W*$)");
    QRegularExpressionMatch m = word.match(text);
    return m.hasMatch() ? m.captured(1) : QString();
}

// The literal texts before each value directive (a `*` width is a directive too).
QStringList textsBeforeDirectives(const QString& format) {
    QStringList texts;
    QString literal;
    for (int i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            literal += format[i];
            continue;
        }
        if (i + 1 < format.size() && format[i + 1] == '%') {
            literal += '%';
            ++i;
            continue;
        }
        // flags, width, precision, length: up to the conversion letter
        int j = i + 1;
        while (j < format.size() && !format[j].isLetter()) {
            if (format[j] == '*') {
                texts << literal;
                literal.clear();
            }
            ++j;
        }
        while (j < format.size() && (format[j] == 'l' || format[j] == 'h')) // length modifiers
            ++j;
        texts << literal;
        literal.clear();
        i = j;
    }
    return texts;
}

} // namespace

QVector<Column> columnsFromFormat(const QString& format, const QStringList& argTypes) {
    QStringList before = textsBeforeDirectives(format);
    QVector<Column> columns;
    QSet<QString> used;
    for (int i = 0; i < argTypes.size(); ++i) {
        QString name = lastWord(before.value(i));
        if (name.isEmpty() || used.contains(name)) name = QString("value %1").arg(i + 1);
        used.insert(name);
        columns.push_back({name, typeFromName(argTypes[i])});
    }
    return columns;
}

} // namespace tapgraphs
