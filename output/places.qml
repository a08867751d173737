<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="1" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">
  <!-- Places: every resolved place as a small dark dot, labelled with its name. -->
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="#404040"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="1.6"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="&quot;name&quot;" isExpression="1" fontFamily="DejaVu Sans" fontSize="8" fontSizeUnit="Point" fontWeight="50" textColor="30,30,30,255" textOpacity="1" namedStyle="Book" fontItalic="0" multilineHeight="1" blendMode="0">
        <text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,230" bufferOpacity="1" bufferNoFill="1" bufferJoinStyle="128" bufferBlendMode="0"/>
      </text-style>
      <text-format wrapChar="" autoWrapLength="0" multilineAlign="0" formatNumbers="0" plussign="0" decimals="0" leftDirectionSymbol="&lt;" rightDirectionSymbol="&gt;" addDirectionSymbol="0" placeDirectionSymbol="0" reverseDirectionSymbol="0" useMaxLineLengthForAutoWrap="1"/>
      <placement placement="6" dist="0.8" distUnits="MM" quadOffset="4" predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR" priority="5" offsetType="0" xOffset="0" yOffset="0" offsetUnits="MM" placementFlags="10"/>
      <rendering obstacle="1" obstacleType="1" obstacleFactor="1" displayAll="0" upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0" labelPerPart="0" mergeLines="0" scaleVisibility="0" fontLimitPixelSize="0" drawLabels="1" zIndex="0"/>
    </settings>
  </labeling>
</qgis>
