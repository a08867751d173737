#!/usr/bin/python3
"""Checks an eventmap snapshot directory with real QGIS (PyQGIS) and GDAL.

Usage: check_layers.py DIR FORMAT [PNG_OUT] [--allow-empty]

For every layer: it opens as a valid Point layer, has the expected field types, and its
default style (the .qml next to the file, or layer_styles in the GeoPackage) was applied
(renderer with the expected categories). Then eventmap.qgs is opened: all layers valid,
the default view is the data extent, and the project renders to a non-empty PNG.
Exit status 0 on success, 1 with messages on failure, 77 when QGIS is not installed.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (QgsApplication, QgsProject, QgsVectorLayer, QgsWkbTypes,
                           QgsMapSettings, QgsMapRendererParallelJob, QgsReadWriteContext)
    from qgis.PyQt.QtCore import QSize, QVariant
    from qgis.core import NULL
    from qgis.PyQt.QtGui import QColor
except ImportError as e:
    print(f"SKIPPED: PyQGIS not available ({e})")
    sys.exit(77)

EXPECTED = {
    "events": {
        "date": "Date", "geonameid": "Integer", "fatalities": "Integer", "source_count": "Integer",
        "cameo_root": "Integer", "geo_precision": "Integer", "time_precision": "Integer",
        "confidence": "Real", "event_type": "String", "location": "String",
    },
    "control": {"since": "Date", "geonameid": "Integer", "confidence": "Real", "side": "String",
                "status": "String"},
    "control_changes": {"date": "Date", "geonameid": "Integer", "confidence": "Real",
                        "side": "String"},
    "places": {"geonameid": "Integer", "mentions": "Integer", "name": "String"},
}
CATEGORIES = {
    "events": {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
               "Riots", "Strategic developments"},
    "control": {"state", "rebels", "other", "unknown"},
    "control_changes": {"state", "rebels", "other", "unknown"},
}
EXT = {"geojson": "geojson", "geojsonseq": "geojsons", "csv": "csv"}

errors = []


def fail(msg):
    errors.append(msg)
    print("FAIL:", msg)


def kind(field):
    t = field.type()
    if t == QVariant.Date:
        return "Date"
    if t in (QVariant.Int, QVariant.LongLong, QVariant.UInt, QVariant.ULongLong):
        return "Integer"
    if t == QVariant.Double:
        return "Real"
    if t == QVariant.String:
        return "String"
    return field.typeName()


def check_layer(uri, name):
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        fail(f"{name}: layer {uri} is not valid")
        return
    if layer.featureCount() == 0 and ALLOW_EMPTY:
        # An empty GeoJSON/CSV layer has no geometry type or fields to check.
        print(f"note {name}: empty layer, schema checks skipped")
        return
    if QgsWkbTypes.geometryType(layer.wkbType()) != QgsWkbTypes.PointGeometry:
        fail(f"{name}: geometry is {QgsWkbTypes.displayString(layer.wkbType())}, not Point")
    fields = {f.name(): kind(f) for f in layer.fields()}
    for field, want in EXPECTED[name].items():
        got = fields.get(field)
        if got != want:
            values = [f[field] for f in layer.getFeatures()] if got else []
            if got == "String" and FORMAT in ("geojson", "geojsonseq") and \
                    all(v is None or v == NULL for v in values):
                # GeoJSON has no schema: a property that is null in every feature has no type.
                print(f"note {name}.{field}: null in every feature, read as String")
                continue
            fail(f"{name}.{field}: type {got}, expected {want}")
    if layer.featureCount() <= 0:
        fail(f"{name}: no features")
    renderer = layer.renderer()
    if name in CATEGORIES:
        if renderer is None or renderer.type() != "categorizedSymbol":
            fail(f"{name}: default style not applied (renderer {renderer and renderer.type()})")
        else:
            values = {c.value() for c in renderer.categories()}
            missing = CATEGORIES[name] - values
            if missing:
                fail(f"{name}: style lacks categories {sorted(missing)}")
    elif renderer is None or renderer.type() != "singleSymbol" or \
            renderer.symbol().color().name() != "#404040":
        fail(f"{name}: default places style not applied")
    if not layer.labelsEnabled():
        fail(f"{name}: labels not enabled by the default style")
    print(f"ok   {name}: {layer.featureCount()} features, fields {len(fields)}, "
          f"renderer {renderer.type()}")


ALLOW_EMPTY = "--allow-empty" in sys.argv
FORMAT = ""


def main():
    args = [a for a in sys.argv[1:] if a != "--allow-empty"]
    global FORMAT
    directory, fmt = args[0], args[1]
    FORMAT = fmt
    png = args[2] if len(args) > 2 else os.path.join(directory, "qgis-render.png")
    app = QgsApplication([], False)
    app.initQgis()
    for name in EXPECTED:
        if fmt == "gpkg":
            uri = f"{directory}/eventmap.gpkg|layername={name}"
        else:
            uri = f"{directory}/{name}.{EXT[fmt]}"
        check_layer(uri, name)

    project = QgsProject.instance()
    if not project.read(os.path.join(directory, "eventmap.qgs")):
        fail(f"eventmap.qgs does not open: {project.error()}")
    else:
        layers = list(project.mapLayers().values())
        if len(layers) != 5:
            fail(f"project has {len(layers)} layers, expected 5")
        for layer in layers:
            if not layer.isValid():
                fail(f"project layer {layer.name()} ({layer.source()}) is not valid")
        for layer in layers:
            if layer.name() in ("Events", "Control changes") and \
                    not layer.temporalProperties().isActive():
                fail(f"project layer {layer.name()}: time (by date) not set up")
        root = project.layerTreeRoot()
        order = [n.name() for n in root.findLayers()]
        print("ok   project layers:", order)
        if order[-1] != "Countries (Natural Earth)":
            fail("basemap is not the bottom layer")
        extent = project.viewSettings().defaultViewExtent()
        if extent.isEmpty() or extent.width() > 300:
            fail(f"default view extent not fitted: {extent.toString()}")
        settings = QgsMapSettings()
        settings.setLayers([n.layer() for n in root.findLayers() if n.isVisible()])
        settings.setDestinationCrs(project.crs())
        settings.setExtent(extent)
        settings.setOutputSize(QSize(1000, 700))
        settings.setBackgroundColor(QColor(221, 232, 240))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        image.save(png)
        colours = set()
        for x in range(0, image.width(), 7):
            for y in range(0, image.height(), 7):
                colours.add(image.pixel(x, y))
        if not os.path.exists(png) or os.path.getsize(png) < 2000 or len(colours) < 5:
            fail(f"project render is empty ({len(colours)} colours)")
        else:
            print(f"ok   project renders to {png} ({os.path.getsize(png)} bytes, "
                  f"{len(colours)} sampled colours)")
    app.exitQgis()
    if errors:
        print(f"{len(errors)} QGIS check(s) failed")
        return 1
    print("all QGIS checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
