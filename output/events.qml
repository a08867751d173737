<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Temporal" labelsEnabled="1" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">
  <!-- Time: features are placed in time by "date", so QGIS's temporal controller animates them. -->
  <temporal enabled="1" mode="1" startField="date" endField="" startExpression="" endExpression="" durationField="" durationUnit="d" fixedDuration="1" accumulate="0" limitMode="0">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <!-- Events: one colour and marker shape per ACLED event type; labelled with the sub-event type. -->
  <renderer-v2 type="categorizedSymbol" attr="event_type" forceraster="0" symbollevels="0" enableorderby="0">
    <categories>
      <category symbol="0" value="Battles" label="Battles" render="true"/>
      <category symbol="1" value="Explosions/Remote violence" label="Explosions/Remote violence" render="true"/>
      <category symbol="2" value="Violence against civilians" label="Violence against civilians" render="true"/>
      <category symbol="3" value="Protests" label="Protests" render="true"/>
      <category symbol="4" value="Riots" label="Riots" render="true"/>
      <category symbol="5" value="Strategic developments" label="Strategic developments" render="true"/>
      <category symbol="6" value="" label="Other" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="star"/>
          <prop k="color" v="#d62728"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="4.2"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="triangle"/>
          <prop k="color" v="#ff7f0e"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="diamond"/>
          <prop k="color" v="#9467bd"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="#2ca02c"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="square"/>
          <prop k="color" v="#8c564b"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="pentagon"/>
          <prop k="color" v="#1f77b4"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="6" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="#7f7f7f"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3"/>
          <prop k="size_unit" v="MM"/>
          <prop k="joinstyle" v="miter"/>
          <data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/><Option name="properties"/><Option type="QString" name="type" value="collection"/></Option></data_defined_properties>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="coalesce(&quot;sub_event_type&quot;, &quot;location&quot;)" isExpression="1" fontFamily="DejaVu Sans" fontSize="7" fontSizeUnit="Point" fontWeight="50" textColor="60,60,60,255" textOpacity="1" namedStyle="Book" fontItalic="0" multilineHeight="1" blendMode="0">
        <text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,230" bufferOpacity="1" bufferNoFill="1" bufferJoinStyle="128" bufferBlendMode="0"/>
      </text-style>
      <text-format wrapChar="" autoWrapLength="0" multilineAlign="0" formatNumbers="0" plussign="0" decimals="0" leftDirectionSymbol="&lt;" rightDirectionSymbol="&gt;" addDirectionSymbol="0" placeDirectionSymbol="0" reverseDirectionSymbol="0" useMaxLineLengthForAutoWrap="1"/>
      <placement placement="6" dist="1" distUnits="MM" quadOffset="4" predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR" priority="5" offsetType="0" xOffset="0" yOffset="0" offsetUnits="MM" placementFlags="10"/>
      <rendering obstacle="1" obstacleType="1" obstacleFactor="1" displayAll="0" upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0" labelPerPart="0" mergeLines="0" scaleVisibility="0" fontLimitPixelSize="0" drawLabels="1" zIndex="0"/>
    </settings>
  </labeling>
</qgis>
