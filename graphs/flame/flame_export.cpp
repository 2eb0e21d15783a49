#include "flame_export.h"

#include "flame_colors.h"

#include <QFile>
#include <QSaveFile>

#include <functional>

namespace tapgraphs {

namespace {

const QString kKernelMark = QStringLiteral("_[k]");

bool writeText(const QString& text, const QString& path, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        if (error) *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString number(double v) {
    return QString::number(v, 'g', 15);
}

} // namespace

QString foldedStacks(const FlameTree& tree) {
    QString out;
    QStringList path;
    std::function<void(int)> walk = [&](int id) {
        if (id > 0) {
            const Frame* f = tree.frameOf(id);
            path.push_back(f->name + (f->kind == FrameKind::Kernel ? kKernelMark : QString()));
        }
        if (id > 0 && tree.node(id).self > 0)
            out += path.join(';') + ' ' + number(tree.node(id).self) + '\n';
        for (int c : tree.node(id).children)
            walk(c);
        if (id > 0) path.pop_back();
    };
    walk(0);
    return out;
}

StackSamples readFoldedStacks(const QString& text, QString* error) {
    StackSamples out;
    FrameTable frames;
    const QStringList lines = text.split('\n');
    for (int n = 0; n < lines.size(); ++n) {
        QString line = lines[n];
        if (line.endsWith('\r')) line.chop(1);
        if (line.trimmed().isEmpty()) continue;
        int space = int(line.lastIndexOf(' '));
        bool ok = false;
        double count = space > 0 ? line.mid(space + 1).toDouble(&ok) : 0;
        if (!ok) {
            if (error)
                *error = QObject::tr("line %1, column %2: expected `frame;frame;… count`")
                             .arg(n + 1)
                             .arg(space > 0 ? space + 2 : line.size() + 1);
            break;
        }
        StackSample sample;
        sample.value = count;
        for (const QString& name : line.left(space).split(';', Qt::SkipEmptyParts)) {
            bool kernel = name.endsWith(kKernelMark);
            Frame f{kernel ? name.chopped(kKernelMark.size()) : name, kernel ? "kernel" : "",
                    kernel ? FrameKind::Kernel : FrameKind::User};
            sample.stack.push_back(frames.intern(f));
        }
        out.samples.push_back(sample);
    }
    out.frames = frames.frames();
    return out;
}

bool writeFoldedStacks(const FlameTree& tree, const QString& path, QString* error) {
    return writeText(foldedStacks(tree), path, error);
}

bool readFoldedFile(const QString& path, StackSamples& samples, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = QObject::tr("Could not read %1: %2").arg(path, file.errorString());
        return false;
    }
    QString problem;
    samples = readFoldedStacks(QString::fromUtf8(file.readAll()), &problem);
    if (!problem.isEmpty()) {
        if (error) *error = path + ": " + problem;
        return false;
    }
    return true;
}

QString flameSvg(const FlameTree& tree, const QString& title, int width) {
    const int rowHeight = 16, top = 24;
    const int rows = tree.depth() + 1;
    const int height = top + rows * rowHeight + 4;
    QString out =
        QString("<?xml version=\"1.0\" standalone=\"no\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%1\" "
                "height=\"%2\" viewBox=\"0 0 %1 %2\" font-family=\"Verdana,sans-serif\" "
                "font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
                "<text x=\"%3\" y=\"16\" text-anchor=\"middle\" font-size=\"14\">%4</text>\n")
            .arg(width)
            .arg(height)
            .arg(width / 2)
            .arg(title.toHtmlEscaped());
    const double total = tree.total();
    for (const FlameTree::Box& b : tree.layout(0, 0.5 / width)) {
        double x = b.x0 * width, w = (b.x1 - b.x0) * width;
        int y = height - 4 - (b.depth + 1) * rowHeight; // the root at the bottom
        const FlameNode& n = tree.node(b.node);
        const QString name = tree.name(b.node);
        QString tip = QString("%1 (%2 samples, %3%)")
                          .arg(name.toHtmlEscaped(), number(n.total))
                          .arg(total > 0 ? 100.0 * n.total / total : 0, 0, 'f', 2);
        out += QString("<g><title>%1</title><rect x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\" "
                       "fill=\"%6\" rx=\"2\"/>")
                   .arg(tip)
                   .arg(x, 0, 'f', 1)
                   .arg(y)
                   .arg(w, 0, 'f', 1)
                   .arg(rowHeight - 1)
                   .arg(frameColor(tree, b.node).name());
        int fits = int((w - 6) / 7); // characters at about 7 px each
        if (fits >= 3)
            out +=
                QString("<text x=\"%1\" y=\"%2\">%3</text>")
                    .arg(x + 3, 0, 'f', 1)
                    .arg(y + rowHeight - 4)
                    .arg((name.size() <= fits ? name : name.left(fits - 2) + "..").toHtmlEscaped());
        out += "</g>\n";
    }
    return out + "</svg>\n";
}

bool writeFlameSvg(const FlameTree& tree, const QString& title, const QString& path,
                   QString* error) {
    return writeText(flameSvg(tree, title), path, error);
}

} // namespace tapgraphs
