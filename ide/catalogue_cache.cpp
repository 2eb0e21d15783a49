#include "catalogue_cache.h"

#include "frontend.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <sys/utsname.h>

#include <algorithm>

namespace tapide {

namespace {

constexpr quint32 kMagic = 0x54435831; // "TCX1"

void writeStr(QDataStream& ds, const std::string& s) {
    ds << quint32(s.size());
    ds.writeRawData(s.data(), int(s.size()));
}

bool readStr(QDataStream& ds, std::string& s) {
    quint32 n = 0;
    ds >> n;
    if (ds.status() != QDataStream::Ok || n > (64u << 20))
        return false;
    s.resize(n);
    return n == 0 || ds.readRawData(s.data(), int(n)) == int(n);
}

void addFile(QCryptographicHash& h, const QString& path) {
    QFileInfo fi(path);
    h.addData(path.toUtf8());
    h.addData(QByteArray::number(fi.exists() ? fi.size() : -1));
    h.addData(QByteArray::number(fi.exists() ? fi.lastModified().toMSecsSinceEpoch() : 0));
}

} // namespace

QString CatalogueCache::defaultPath() {
    QString dir = qEnvironmentVariable("TAPSTUDIO_CACHE_DIR");
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/tapstudio";
    return dir + "/catalogue-index.bin";
}

QByteArray CatalogueCache::contentKey() {
    QCryptographicHash h(QCryptographicHash::Sha1);
    h.addData(QByteArray::number(kFormatVersion));
    // Tapsets, in search order (as tap::Frontend::tapsetDirs finds them).
    QStringList dirs;
    for (const QString& d : qEnvironmentVariable("TAPSTUDIO_TAPSETS").split(':', Qt::SkipEmptyParts))
        dirs << d;
    QString bundled = QString::fromStdString(tap::bundledTapsetDir());
    if (!bundled.isEmpty())
        dirs << bundled;
    for (const QString& d : dirs) {
        h.addData(("dir:" + d).toUtf8());
        QStringList files;
        QDirIterator it(d, {"*.stp", "*.stpm"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        for (const QString& f : files)
            addFile(h, f);
    }
    // The kernel: release, BTF, and which modules have BTF (loaded modules add tracepoints).
    struct utsname u {};
    if (uname(&u) == 0) {
        h.addData(QByteArray(u.release));
        h.addData(QByteArray(u.version));
    }
    addFile(h, "/sys/kernel/btf/vmlinux");
    QStringList modules = QDir("/sys/kernel/btf").entryList(QDir::Files | QDir::System, QDir::Name);
    h.addData(modules.join(',').toUtf8());
    // The program that built the index (a new core lists differently).
    addFile(h, QCoreApplication::applicationFilePath());
    return h.result().toHex();
}

bool CatalogueCache::load(const QString& path, const QByteArray& key, CachedCatalogue& out) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QByteArray bytes = f.readAll();
    QDataStream ds(bytes);
    ds.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0, version = 0;
    QByteArray fileKey;
    ds >> magic >> version >> fileKey;
    if (ds.status() != QDataStream::Ok || magic != kMagic || version != kFormatVersion || fileKey != key)
        return false;
    CachedCatalogue c;
    quint32 n = 0;
    ds >> n;
    if (n > 10'000'000)
        return false;
    c.tracepoints.resize(n);
    for (std::string& t : c.tracepoints)
        if (!readStr(ds, t))
            return false;
    ds >> n;
    if (n > 10'000'000)
        return false;
    c.probes.resize(n);
    for (tap::ListedProbe& p : c.probes) {
        quint8 alias = 0;
        quint32 vars = 0, comps = 0;
        if (!readStr(ds, p.point) || !readStr(ds, p.doc))
            return false;
        ds >> alias >> vars;
        p.isAlias = alias != 0;
        if (vars > 100000)
            return false;
        p.variables.resize(vars);
        for (tap::ListedVariable& v : p.variables)
            if (!readStr(ds, v.name) || !readStr(ds, v.type))
                return false;
        ds >> comps;
        if (comps > 1000)
            return false;
        p.components.resize(comps);
        for (tap::ConcreteComponent& cc : p.components) {
            quint8 kind = 0;
            if (!readStr(ds, cc.functor))
                return false;
            ds >> kind;
            if (kind == 1) {
                qint64 v = 0;
                ds >> v;
                cc.number = v;
            } else if (kind == 2) {
                std::string s;
                if (!readStr(ds, s))
                    return false;
                cc.string = std::move(s);
            }
        }
        if (ds.status() != QDataStream::Ok)
            return false;
    }
    out = std::move(c);
    return true;
}

bool CatalogueCache::save(const QString& path, const QByteArray& key, const std::vector<std::string>& tracepoints,
                          const std::vector<tap::ListedProbe>& probes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QByteArray bytes;
    {
        QDataStream ds(&bytes, QIODevice::WriteOnly);
        ds.setVersion(QDataStream::Qt_6_0);
        ds << kMagic << kFormatVersion << key;
        ds << quint32(tracepoints.size());
        for (const std::string& t : tracepoints)
            writeStr(ds, t);
        ds << quint32(probes.size());
        for (const tap::ListedProbe& p : probes) {
            writeStr(ds, p.point);
            writeStr(ds, p.doc);
            ds << quint8(p.isAlias) << quint32(p.variables.size());
            for (const tap::ListedVariable& v : p.variables) {
                writeStr(ds, v.name);
                writeStr(ds, v.type);
            }
            ds << quint32(p.components.size());
            for (const tap::ConcreteComponent& cc : p.components) {
                writeStr(ds, cc.functor);
                if (cc.number) {
                    ds << quint8(1) << qint64(*cc.number);
                } else if (cc.string) {
                    ds << quint8(2);
                    writeStr(ds, *cc.string);
                } else {
                    ds << quint8(0);
                }
            }
        }
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(bytes);
    return f.commit();
}

} // namespace tapide
