#include "module_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>

namespace tapdash {

namespace {

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

// A module is small; anything larger is not a module.
constexpr qint64 kMaxEntryBytes = 16 * 1024 * 1024;

QString archiveError(archive* a) {
    const char* text = archive_error_string(a);
    return text ? QString::fromUtf8(text) : QObject::tr("unknown archive error");
}

bool safeRelativePath(const QString& path) {
    if (path.isEmpty() || path.startsWith('/')) return false;
    for (const QString& part : path.split('/', Qt::SkipEmptyParts))
        if (part == "..") return false;
    return true;
}

bool copyFolder(const QString& from, const QString& to, QString* error) {
    QDir source(from);
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QString file = it.next();
        QString target = QDir(to).filePath(source.relativeFilePath(file));
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(file, target)) {
            *error = QObject::tr("cannot write %1").arg(target);
            return false;
        }
    }
    return true;
}

// Unpacks regular files and folders below `into`; refuses anything else.
bool unpack(const QString& archivePath, const QString& into, QString* error) {
    ArchivePtr in(archive_read_new(), archive_read_free);
    archive_read_support_filter_gzip(in.get());
    archive_read_support_format_tar(in.get());
    if (archive_read_open_filename(in.get(), QFile::encodeName(archivePath).constData(), 64 * 1024) != ARCHIVE_OK) {
        *error = QObject::tr("%1 is not a .tar.gz module package: %2").arg(archivePath, archiveError(in.get()));
        return false;
    }
    archive_entry* entry = nullptr;
    int entries = 0;
    int r;
    while ((r = archive_read_next_header(in.get(), &entry)) == ARCHIVE_OK) {
        QString path = QString::fromUtf8(archive_entry_pathname_utf8(entry) ? archive_entry_pathname_utf8(entry)
                                                                            : archive_entry_pathname(entry));
        if (path.startsWith("./")) path = path.mid(2);
        if (!safeRelativePath(path)) {
            *error = QObject::tr("the package has an unsafe path: %1").arg(path);
            return false;
        }
        mode_t type = archive_entry_filetype(entry);
        QString target = QDir(into).filePath(path);
        if (type == AE_IFDIR) {
            QDir().mkpath(target);
            continue;
        }
        if (type != AE_IFREG) {
            *error = QObject::tr("the package may only hold files and folders; %1 is a link or device").arg(path);
            return false;
        }
        if (archive_entry_size(entry) > kMaxEntryBytes) {
            *error = QObject::tr("%1 is larger than a module file may be (16 MiB)").arg(path);
            return false;
        }
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly)) {
            *error = QObject::tr("cannot write %1").arg(target);
            return false;
        }
        char buffer[64 * 1024];
        la_ssize_t n;
        while ((n = archive_read_data(in.get(), buffer, sizeof buffer)) > 0)
            out.write(buffer, n);
        if (n < 0) {
            *error = QObject::tr("the package is damaged at %1: %2").arg(path, archiveError(in.get()));
            return false;
        }
        ++entries;
    }
    if (r != ARCHIVE_EOF) {
        *error = QObject::tr("the package is damaged: %1").arg(archiveError(in.get()));
        return false;
    }
    if (entries == 0) {
        *error = QObject::tr("the package is empty");
        return false;
    }
    return true;
}

} // namespace

bool exportModule(const Module& module, const QString& archivePath, QString* error) {
    ArchivePtr out(archive_write_new(), archive_write_free);
    archive_write_add_filter_gzip(out.get());
    archive_write_set_format_pax_restricted(out.get());
    if (archive_write_open_filename(out.get(), QFile::encodeName(archivePath).constData()) != ARCHIVE_OK) {
        *error = QObject::tr("cannot write %1: %2").arg(archivePath, archiveError(out.get()));
        return false;
    }
    QDir root(module.dir);
    QStringList files;
    QDirIterator it(module.dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << root.relativeFilePath(it.next());
    files.sort();
    for (const QString& relative : files) {
        QFile file(root.filePath(relative));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QObject::tr("cannot read %1").arg(file.fileName());
            return false;
        }
        QByteArray bytes = file.readAll();
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(), archive_entry_free);
        QByteArray name = (module.manifest.id + "/" + relative).toUtf8();
        archive_entry_set_pathname_utf8(entry.get(), name.constData());
        archive_entry_set_size(entry.get(), bytes.size());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_mtime(entry.get(), QFileInfo(file).lastModified().toSecsSinceEpoch(), 0);
        if (archive_write_header(out.get(), entry.get()) != ARCHIVE_OK ||
            archive_write_data(out.get(), bytes.constData(), size_t(bytes.size())) != bytes.size()) {
            *error = QObject::tr("cannot write %1: %2").arg(archivePath, archiveError(out.get()));
            return false;
        }
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK) {
        *error = QObject::tr("cannot finish %1: %2").arg(archivePath, archiveError(out.get()));
        return false;
    }
    return true;
}

QString checkScript(const QString& tstap, const QString& scriptPath, const QString& command) {
    QProcess p;
    QStringList args{"-p2"};
    if (!command.trimmed().isEmpty()) args << "-c" << command;
    args << scriptPath;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(tstap, args);
    if (!p.waitForFinished(120000)) return QObject::tr("tstap -p2 did not finish: %1").arg(p.errorString());
    QString output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? QString() : output.trimmed();
}

ImportResult importModule(const QString& archivePath, const QString& modulesRoot, const QString& tstap) {
    ImportResult result;
    QTemporaryDir staging;
    if (!staging.isValid()) {
        result.error = QObject::tr("cannot create a temporary folder: %1").arg(staging.errorString());
        return result;
    }
    if (!unpack(archivePath, staging.path(), &result.error)) return result;
    QStringList top = QDir(staging.path()).entryList(QDir::Dirs | QDir::Files | QDir::NoDotAndDotDot);
    if (top.size() != 1 || !QFileInfo(QDir(staging.path()).filePath(top[0])).isDir()) {
        result.error = QObject::tr("the package must hold exactly one module folder (it holds: %1)").arg(top.join(", "));
        return result;
    }
    QString moduleDir = QDir(staging.path()).filePath(top[0]);
    ManifestReading reading = readManifest(moduleDir);
    if (!reading.ok()) {
        result.error = QObject::tr("the module is not valid:\n%1").arg(reading.problemText());
        return result;
    }
    result.id = reading.manifest.id;
    QString problems = checkScript(tstap, QDir(moduleDir).filePath(reading.manifest.script), reading.manifest.command);
    if (!problems.isEmpty()) {
        result.error = QObject::tr("tstap -p2 rejects the module's script:\n%1").arg(problems);
        return result;
    }
    QString target = QDir(modulesRoot).filePath(reading.manifest.id);
    if (QFileInfo::exists(target)) {
        result.error = QObject::tr("a module '%1' is already installed in %2; remove it first").arg(result.id, target);
        return result;
    }
    if (!QDir().mkpath(target) || !copyFolder(moduleDir, target, &result.error)) {
        QDir(target).removeRecursively(); // nothing half-installed
        if (result.error.isEmpty()) result.error = QObject::tr("cannot create %1").arg(target);
        return result;
    }
    result.ok = true;
    result.installedDir = target;
    return result;
}

} // namespace tapdash
