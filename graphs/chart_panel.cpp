#include "chart_panel.h"

#include "background_priority.h"
#include "filters.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QKeyEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPieSeries>
#include <QPieSlice>
#include <QScatterSeries>
#include <QScopedValueRollback>
#include <QSvgGenerator>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>
#include <QtConcurrent>

#include <cmath>

namespace tapgraphs {

namespace {

constexpr qsizetype kAntialiasedPoints = 1500;

// 1, 2 or 5 times a power of ten, at least `rough`.
double niceStep(double rough) {
    if (rough <= 0) return 1;
    double power = std::pow(10, std::floor(std::log10(rough)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * power >= rough) return m * power;
    return 10 * power;
}

QString number(double v) {
    return std::abs(v) >= 1e15 || v == std::floor(v) ? QString::number(qint64(v))
                                                     : QString::number(v, 'g', 6);
}

bool sameCategories(QAbstractSeries* series, const ChartData& d) {
    auto* bars = qobject_cast<QAbstractBarSeries*>(series);
    if (!bars || bars->count() != d.sets.size()) return false;
    for (int i = 0; i < d.sets.size(); ++i)
        if (bars->barSets()[i]->label() != d.sets[i].name ||
            bars->barSets()[i]->count() != d.categories.size())
            return false;
    return true;
}

} // namespace

ChartPanel::ChartPanel(const ChartSpec& spec, const DataSetSpec& dataSpec,
                       std::function<std::shared_ptr<DataSet>()> dataSet, QWidget* parent)
    : QWidget(parent), spec_(spec), dataSpec_(dataSpec), dataSet_(std::move(dataSet)),
      chart_(new QChart), view_(new QChartView(chart_)), status_(new QLabel),
      follow_(new QToolButton) {
    setObjectName("ChartPanel");
    chart_->setTitle(spec.title);
    chart_->setAnimationOptions(QChart::NoAnimation); // animations at 10 redraws a second only blur
    chart_->legend()->setVisible(spec.type != ChartSpec::Type::Histogram);
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    view_->setRenderHint(QPainter::Antialiasing);
    bool timeAxis = spec.type == ChartSpec::Type::Line || spec.type == ChartSpec::Type::Area ||
                    spec.type == ChartSpec::Type::Scatter;
    if (timeAxis) {
        view_->setRubberBand(QChartView::HorizontalRubberBand);
        view_->viewport()->installEventFilter(this);
        view_->installEventFilter(this);
    }

    follow_->setText(tr("Follow"));
    follow_->setCheckable(true);
    follow_->setChecked(true);
    follow_->setToolTip(tr("Follow the live edge (off while you zoom or pan; click to resume)"));
    follow_->setVisible(timeAxis);
    connect(follow_, &QToolButton::toggled, this, &ChartPanel::setFollowing);
    status_->setObjectName("ChartStatus");

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 4, 0);
    bar->addWidget(status_, 1);
    bar->addWidget(follow_);
    auto* editButton = new QToolButton;
    editButton->setText(tr("Edit…"));
    editButton->setToolTip(tr("Change the chart: type, columns, transforms"));
    connect(editButton, &QToolButton::clicked, this, &ChartPanel::editRequested);
    bar->addWidget(editButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(view_, 1);
    layout->addLayout(bar);

    connect(&watcher_, &QFutureWatcher<ChartData>::finished, this, [this] {
        lastData_ = watcher_.result();
        draw(lastData_);
        emit drawn();
    });
}

ChartPanel::~ChartPanel() {
    watcher_.waitForFinished();
}

void ChartPanel::setFollowing(bool follow) {
    range_.followLiveEdge = follow;
    if (follow_->isChecked() != follow) {
        QSignalBlocker block(follow_);
        follow_->setChecked(follow);
    }
    refresh();
}

void ChartPanel::takeUserRange(double from, double to) {
    range_.from = from;
    range_.to = to;
    if (range_.followLiveEdge)
        setFollowing(false);
    else
        refresh();
}

void ChartPanel::updateStatus(const std::shared_ptr<DataSet>& ds) {
    QString text = tr("%1 rows").arg(ds->size());
    if (qint64 dropped = ds->dropped())
        text += tr(" · %1 older rows dropped (ring of %2)").arg(dropped).arg(ds->capacity());
    status_->setText(text);
}

void ChartPanel::refresh() {
    if (watcher_.isRunning()) return; // the last refresh is still computing: skip this one
    std::shared_ptr<DataSet> ds = dataSet_();
    if (!ds) return;
    updateStatus(ds);
    XRange range = range_;
    range.maxPoints = std::max(200, int(chart_->plotArea().width()));
    watcher_.setFuture(
        QtConcurrent::run(chartPool(), [ds, spec = spec_, filters = dataSpec_.filters, range] {
            lowerThisThreadsPriority();
            // A live time chart needs only its window (and the row before it, for rates).
            bool window = range.followLiveEdge && (spec.type == ChartSpec::Type::Line ||
                                                   spec.type == ChartSpec::Type::Area ||
                                                   spec.type == ChartSpec::Type::Scatter);
            qint64 from = window ? ds->lastTime() - qint64((spec.windowSeconds + 1) * 1e9)
                                 : std::numeric_limits<qint64>::min();
            return computeChart(spec, applyFilters(ds->snapshot(from), filters), range);
        }));
}

void ChartPanel::draw(const ChartData& d) {
    switch (spec_.type) {
    case ChartSpec::Type::Line:
    case ChartSpec::Type::Area:
    case ChartSpec::Type::Scatter:
        drawXy(d);
        break;
    case ChartSpec::Type::Pie:
        drawPie(d);
        break;
    case ChartSpec::Type::Table:
        break;
    default:
        drawCategories(d);
        break;
    }
}

void ChartPanel::drawXy(const ChartData& d) {
    // Qt sets axis ranges itself while series and axes are added: only a
    // range change outside drawing is the user's zoom or pan.
    QScopedValueRollback<bool> drawing(applyingRange_, true);
    // Series are kept while their names stay; new keys add series.
    QHash<QString, QAbstractSeries*> existing;
    for (QAbstractSeries* s : chart_->series())
        existing.insert(s->name(), s);
    auto* x = qobject_cast<QValueAxis*>(chart_->axes(Qt::Horizontal).value(0));
    auto* y = qobject_cast<QValueAxis*>(chart_->axes(Qt::Vertical).value(0));
    if (!x) {
        x = new QValueAxis;
        x->setTitleText(tr("seconds"));
        y = new QValueAxis;
        y->setLabelFormat("%.6g");
        if (!spec_.values.isEmpty())
            y->setTitleText(spec_.values.join(", ") + (spec_.rate ? tr(" per second") : QString()));
        chart_->addAxis(x, Qt::AlignBottom);
        chart_->addAxis(y, Qt::AlignLeft);
        connect(x, &QValueAxis::rangeChanged, this, [this](qreal from, qreal to) {
            if (!applyingRange_) takeUserRange(from, to);
        });
    }
    bool added = false;
    for (const XySeries& s : d.series) {
        QAbstractSeries* kept = existing.take(s.name);
        auto* area = qobject_cast<QAreaSeries*>(kept);
        QXYSeries* xy = area ? area->upperSeries() : qobject_cast<QXYSeries*>(kept);
        if (!xy) {
            QAbstractSeries* shown;
            if (spec_.type == ChartSpec::Type::Scatter) {
                auto* scatter = new QScatterSeries;
                scatter->setMarkerSize(6);
                xy = scatter;
                shown = scatter;
            } else if (spec_.type == ChartSpec::Type::Area) {
                xy = new QLineSeries;
                auto* area = new QAreaSeries(static_cast<QLineSeries*>(xy));
                area->setOpacity(0.7);
                shown = area;
            } else {
                xy = new QLineSeries;
                shown = xy;
            }
            shown->setName(s.name);
            xy->setName(s.name);
            chart_->addSeries(shown);
            shown->attachAxis(x);
            shown->attachAxis(y);
            connect(xy, &QXYSeries::hovered, this,
                    [this, name = s.name](const QPointF& p, bool state) {
                        if (state)
                            QToolTip::showText(
                                QCursor::pos(),
                                tr("%1\n%2 s: %3").arg(name, number(p.x()), number(p.y())), view_);
                    });
            added = true;
        }
        xy->replace(QList<QPointF>(s.points.begin(), s.points.end()));
    }
    for (QAbstractSeries* gone :
         existing) { // keys no longer in the data (filtered, dropped, not top)
        chart_->removeSeries(gone);
        delete gone;
    }
    // Smooth lines cost several times the drawing time: dense charts go without.
    qsizetype points = 0;
    for (const XySeries& s : d.series)
        points += s.points.size();
    bool dense = points >= kAntialiasedPoints;
    view_->setRenderHint(QPainter::Antialiasing, !dense);
    // So do wide pens (stroked as outlines); a 1-pixel line takes the fast path.
    for (QAbstractSeries* series : chart_->series())
        if (auto* line = qobject_cast<QLineSeries*>(series);
            line && spec_.type == ChartSpec::Type::Line) {
            QPen pen = line->pen();
            if (pen.widthF() != (dense ? 1.0 : 2.0)) {
                pen.setWidthF(dense ? 1.0 : 2.0);
                line->setPen(pen);
            }
        }
    if (added) hookLegend();
    x->setRange(d.xMin, d.xMax);
    // Ticks on round seconds that stay put while the axis scrolls.
    double step = niceStep((d.xMax - d.xMin) / 5);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(step);
    x->setLabelFormat(step >= 1 ? "%.0f" : step >= 0.1 ? "%.1f" : "%.2f");
    double pad = (d.yMax - d.yMin) * 0.05;
    y->setRange(d.yMin >= 0 ? std::max(0.0, d.yMin - pad) : d.yMin - pad,
                d.yMax + std::max(pad, 1e-9) + (d.yMax == d.yMin));
    y->setTickCount(6);
    y->applyNiceNumbers();
}

void ChartPanel::drawCategories(const ChartData& d) {
    bool horizontal =
        spec_.type == ChartSpec::Type::Bar || spec_.type == ChartSpec::Type::StackedBar;
    // Horizontal bars list the largest at the top: categories bottom-up.
    QStringList categories = d.categories;
    QVector<ValueSet> sets = d.sets;
    if (horizontal) {
        std::reverse(categories.begin(), categories.end());
        for (ValueSet& s : sets)
            std::reverse(s.values.begin(), s.values.end());
    }
    QAbstractSeries* current = chart_->series().value(0);
    auto* valueAxis = qobject_cast<QValueAxis*>(
        chart_->axes(horizontal ? Qt::Horizontal : Qt::Vertical).value(0));
    auto* categoryAxis = qobject_cast<QBarCategoryAxis*>(
        chart_->axes(horizontal ? Qt::Vertical : Qt::Horizontal).value(0));
    if (current && sameCategories(current, d) && categoryAxis &&
        categoryAxis->categories() == categories) {
        auto* bars = static_cast<QAbstractBarSeries*>(current);
        for (int i = 0; i < sets.size(); ++i)
            for (int k = 0; k < sets[i].values.size(); ++k)
                bars->barSets()[i]->replace(k, sets[i].values[k]);
    } else {
        chart_->removeAllSeries();
        for (QAbstractAxis* a : chart_->axes())
            chart_->removeAxis(a), delete a;
        QAbstractBarSeries* bars =
            spec_.type == ChartSpec::Type::StackedBar
                ? static_cast<QAbstractBarSeries*>(new QHorizontalStackedBarSeries)
            : horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)
                         : static_cast<QAbstractBarSeries*>(new QBarSeries);
        bars->setBarWidth(0.8);
        for (const ValueSet& s : sets) {
            auto* set = new QBarSet(s.name);
            for (double v : s.values)
                *set << v;
            connect(set, &QBarSet::hovered, this, [this, set](bool state, int index) {
                if (!state) return;
                QString category;
                for (QAbstractAxis* a : chart_->axes())
                    if (auto* c = qobject_cast<QBarCategoryAxis*>(a)) category = c->at(index);
                QToolTip::showText(
                    QCursor::pos(),
                    tr("%1\n%2: %3").arg(category, set->label(), number(set->at(index))), view_);
            });
            bars->append(set);
        }
        chart_->addSeries(bars);
        categoryAxis = new QBarCategoryAxis;
        categoryAxis->append(categories);
        valueAxis = new QValueAxis;
        valueAxis->setLabelFormat("%.6g");
        chart_->addAxis(categoryAxis, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
        chart_->addAxis(valueAxis, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
        bars->attachAxis(categoryAxis);
        bars->attachAxis(valueAxis);
        if (spec_.type == ChartSpec::Type::Histogram) {
            categoryAxis->setLabelsAngle(categories.size() > 12 ? -45 : 0);
            valueAxis->setTitleText(tr("count"));
        }
        hookLegend();
    }
    categoryAxis->setTitleText(d.categoryTitle);
    valueAxis->setRange(std::min(0.0, d.yMin), d.yMax > 0 ? d.yMax * 1.05 : 1);
    valueAxis->setTickCount(6);
    valueAxis->applyNiceNumbers(); // ticks at round values
}

void ChartPanel::drawPie(const ChartData& d) {
    auto* pie = qobject_cast<QPieSeries*>(chart_->series().value(0));
    if (!pie) {
        pie = new QPieSeries;
        chart_->addSeries(pie);
    }
    QList<QPieSlice*> slices = pie->slices();
    bool same = slices.size() == d.categories.size();
    for (int i = 0; same && i < slices.size(); ++i)
        same = slices[i]->label().startsWith(d.categories[i] + " ");
    if (!same) {
        pie->clear();
        for (int i = 0; i < d.categories.size(); ++i) {
            auto* slice = pie->append(d.categories[i], 0);
            connect(slice, &QPieSlice::hovered, this, [this, slice](bool state) {
                slice->setExploded(state);
                if (state) QToolTip::showText(QCursor::pos(), slice->label(), view_);
            });
        }
    }
    slices = pie->slices();
    for (int i = 0; i < slices.size() && !d.sets.isEmpty(); ++i) {
        slices[i]->setValue(d.sets[0].values.value(i));
        slices[i]->setLabel(d.categories[i] + " " + number(d.sets[0].values.value(i)));
    }
    pie->setLabelsVisible(slices.size() <= 12);
}

void ChartPanel::hookLegend() {
    // Clicking a legend entry hides or shows its series; the entry stays, dimmed.
    for (QLegendMarker* marker : chart_->legend()->markers()) {
        marker->disconnect(this);
        connect(marker, &QLegendMarker::clicked, this, [marker] {
            QAbstractSeries* s = marker->series();
            if (marker->type() == QLegendMarker::LegendMarkerTypeBar ||
                marker->type() == QLegendMarker::LegendMarkerTypePie)
                return; // a bar set or slice is not a series of its own
            s->setVisible(!s->isVisible());
            marker->setVisible(true);
            QColor label = marker->labelBrush().color();
            label.setAlphaF(s->isVisible() ? 1.0 : 0.4);
            marker->setLabelBrush(label);
        });
    }
}

bool ChartPanel::eventFilter(QObject* watched, QEvent* event) {
    QRectF plot = chart_->plotArea();
    switch (event->type()) {
    case QEvent::Wheel: {
        auto* w = static_cast<QWheelEvent*>(event);
        double factor = w->angleDelta().y() > 0 ? 0.8 : 1.25;
        double mx = view_->mapToScene(w->position().toPoint()).x() - chart_->pos().x();
        double left = mx - (mx - plot.left()) * factor;
        chart_->zoomIn(QRectF(left, plot.top(), plot.width() * factor, plot.height()));
        return true;
    }
    case QEvent::MouseButtonPress: {
        auto* m = static_cast<QMouseEvent*>(event);
        if (m->button() == Qt::MiddleButton ||
            (m->button() == Qt::LeftButton && m->modifiers() & Qt::ControlModifier)) {
            dragging_ = true;
            dragStart_ = m->position().toPoint();
            return true;
        }
        break;
    }
    case QEvent::MouseMove:
        if (dragging_) {
            auto* m = static_cast<QMouseEvent*>(event);
            chart_->scroll(dragStart_.x() - m->position().toPoint().x(), 0);
            dragStart_ = m->position().toPoint();
            return true;
        }
        break;
    case QEvent::MouseButtonRelease:
        if (dragging_) {
            dragging_ = false;
            return true;
        }
        break;
    case QEvent::KeyPress: {
        auto* k = static_cast<QKeyEvent*>(event);
        if (k->key() == Qt::Key_Left || k->key() == Qt::Key_Right) {
            chart_->scroll((k->key() == Qt::Key_Left ? -1 : 1) * plot.width() / 10, 0);
            return true;
        }
        break;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

bool ChartPanel::exportPng(const QString& path) const {
    return view_->grab().save(path, "PNG");
}

bool ChartPanel::exportSvg(const QString& path) const {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(view_->size());
    svg.setViewBox(QRect(QPoint(0, 0), view_->size()));
    svg.setTitle(spec_.title);
    QPainter painter;
    if (!painter.begin(&svg)) return false;
    view_->render(&painter);
    return painter.end();
}

} // namespace tapgraphs
