#include "elf_symbols.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QtConcurrent>

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <mutex>

namespace tapide {

namespace {

std::mutex cacheMutex;
QHash<QString, ElfFunctionTablePtr>& cache() {
    static QHash<QString, ElfFunctionTablePtr> c;
    return c;
}

qint64 mtimeOf(const QString& path) {
    QFileInfo fi(path);
    return fi.exists() ? fi.lastModified().toMSecsSinceEpoch() : -1;
}

// FUNC symbols of the first section of `type`; false if there is none.
bool readSection(Elf* elf, Elf64_Word type, QStringList& out) {
    size_t strndx = 0;
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != type || shdr.sh_entsize == 0)
            continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (!data)
            return false;
        strndx = shdr.sh_link;
        size_t count = shdr.sh_size / shdr.sh_entsize;
        for (size_t i = 0; i < count; ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, int(i), &sym))
                continue;
            if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF)
                continue; // imports are not functions of this binary
            const char* name = elf_strptr(elf, strndx, sym.st_name);
            if (name && *name)
                out << QString::fromUtf8(name);
        }
        return true;
    }
    return false;
}

ElfFunctionTablePtr readUncached(const QString& path, qint64 mtime) {
    auto table = std::make_shared<ElfFunctionTable>();
    table->path = path;
    table->mtime = mtime;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        table->error = "libelf: " + QString::fromUtf8(elf_errmsg(-1));
        return table;
    }
    int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        table->error = QString("cannot open %1").arg(path);
        return table;
    }
    Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        table->error = QString("%1 is not an ELF file").arg(path);
    } else if (readSection(elf, SHT_SYMTAB, table->functions) && !table->functions.isEmpty()) {
        table->fromSymtab = true;
    } else {
        table->functions.clear();
        if (!readSection(elf, SHT_DYNSYM, table->functions))
            table->error = QString("%1 has no symbol table").arg(path);
    }
    if (elf)
        elf_end(elf);
    ::close(fd);
    table->functions.sort();
    table->functions.removeDuplicates();
    return table;
}

} // namespace

QString resolveBinaryPath(const QString& name) {
    if (name.isEmpty())
        return {};
    if (name.contains('/')) {
        QFileInfo fi(name);
        return fi.isFile() ? fi.absoluteFilePath() : QString();
    }
    const QStringList dirs = qEnvironmentVariable("PATH").split(':', Qt::SkipEmptyParts);
    for (const QString& dir : dirs) {
        QFileInfo fi(QDir(dir).filePath(name));
        if (fi.isFile() && fi.isExecutable())
            return fi.absoluteFilePath();
    }
    return {};
}

ElfFunctionTablePtr cachedElfFunctions(const QString& path) {
    qint64 mtime = mtimeOf(path);
    std::lock_guard<std::mutex> lock(cacheMutex);
    ElfFunctionTablePtr t = cache().value(path);
    return t && t->mtime == mtime ? t : nullptr;
}

ElfFunctionTablePtr readElfFunctions(const QString& path) {
    if (ElfFunctionTablePtr t = cachedElfFunctions(path))
        return t;
    qint64 mtime = mtimeOf(path);
    ElfFunctionTablePtr t = readUncached(path, mtime);
    if (mtime >= 0) {
        std::lock_guard<std::mutex> lock(cacheMutex);
        cache().insert(path, t);
    }
    return t;
}

QFuture<ElfFunctionTablePtr> loadElfFunctionsAsync(const QString& path) {
    return QtConcurrent::run([path] { return readElfFunctions(path); });
}

} // namespace tapide
