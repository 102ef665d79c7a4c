import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Converter as ToTraditional } from 'opencc-js/cn2t';
import { Converter as ToSimplified } from 'opencc-js/t2cn';

/**
 * People of fourteen markets as a CRM sees them, the ways they come in again, and the different
 * people who look like them. Every word list is cut in two before anything is tuned: the even
 * entries make the development half, the odd ones the held-out half, so the held-out people have
 * names, companies and honorific spellings the matcher was never tried on.
 *
 * Written from how people in each market write names, companies, phones and extensions, not from
 * Leadpool's rules: nothing here imports the matcher.
 */

export type Half = 'dev' | 'held-out';
type Random = () => number;

const toTraditional = ToTraditional({ from: 'cn', to: 'tw' });
const toSimplified = ToSimplified({ from: 'tw', to: 'cn' });

interface Market {
  country: CountryCode;
  team: string;
  /** family, given: native spelling, and the Latin one used for e-mail addresses. */
  families: [string, string][];
  givens: [string, string][];
  /** Whether the family name comes first when written natively. */
  familyFirst: boolean;
  /** Joins family and given natively ('' for Chinese, Japanese and Korean). */
  joiner: string;
  companies: [string, string][];
  /** How the company's name is written, from its core: the registered form and the other forms people type. */
  registered: (core: string, r: Random) => string;
  companyForms: (core: string, r: Random) => string[];
  honorifics: (name: string, given: string, family: string, r: Random) => string[];
  spellings: (name: string, family: string, given: string) => string[];
  mobile: string[];
  fixed: string[];
  extensions: string[];
}

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const digits = (r: Random, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

const CN_FAMILY: [string, string][] = [
  ['陈', 'chen'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['高', 'gao'],
  ['林', 'lin'],
  ['罗', 'luo'],
  ['郑', 'zheng'],
  ['梁', 'liang'],
  ['谢', 'xie'],
];
const CN_GIVEN: [string, string][] = [
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['艳', 'yan'],
  ['杰', 'jie'],
  ['娟', 'juan'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀英', 'xiuying'],
  ['海燕', 'haiyan'],
  ['建华', 'jianhua'],
  ['志强', 'zhiqiang'],
  ['晓东', 'xiaodong'],
  ['丽华', 'lihua'],
  ['国庆', 'guoqing'],
  ['婷婷', 'tingting'],
  ['宇航', 'yuhang'],
  ['思远', 'siyuan'],
];
const CN_COMPANIES: [string, string][] = [
  ['瑞丰科技', 'ruifeng'],
  ['云帆网络', 'yunfan'],
  ['华信电子', 'huaxin'],
  ['长城贸易', 'changcheng'],
  ['恒达实业', 'hengda'],
  ['金龙软件', 'jinlong'],
  ['天翼信息', 'tianyi'],
  ['宏图物流', 'hongtu'],
  ['广联传媒', 'guanglian'],
  ['万通投资', 'wantong'],
  ['鼎盛制造', 'dingsheng'],
  ['海纳数据', 'haina'],
  ['远航医疗', 'yuanhang'],
  ['博雅教育', 'boya'],
  ['星辰智能', 'xingchen'],
  ['明德咨询', 'mingde'],
];
const CN_CITIES = ['深圳', '上海', '北京', '广州', '杭州', '成都'];

const JP_FAMILY: [string, string][] = [
  ['高橋', 'takahashi'],
  ['佐藤', 'sato'],
  ['山崎', 'yamazaki'],
  ['鈴木', 'suzuki'],
  ['渡辺', 'watanabe'],
  ['田中', 'tanaka'],
  ['斎藤', 'saito'],
  ['伊藤', 'ito'],
  ['浜田', 'hamada'],
  ['中村', 'nakamura'],
  ['吉田', 'yoshida'],
  ['小林', 'kobayashi'],
  ['池田', 'ikeda'],
  ['松本', 'matsumoto'],
  ['長澤', 'nagasawa'],
  ['山本', 'yamamoto'],
  ['宮崎', 'miyazaki'],
  ['加藤', 'kato'],
  ['石田', 'ishida'],
  ['桜井', 'sakurai'],
];
const JP_GIVEN: [string, string][] = [
  ['翔太', 'shota'],
  ['裕子', 'yuko'],
  ['恵', 'megumi'],
  ['大輔', 'daisuke'],
  ['美咲', 'misaki'],
  ['健太', 'kenta'],
  ['陽子', 'yoko'],
  ['拓也', 'takuya'],
  ['由美', 'yumi'],
  ['直樹', 'naoki'],
  ['真理子', 'mariko'],
  ['誠', 'makoto'],
  ['彩', 'aya'],
  ['浩二', 'koji'],
  ['智子', 'tomoko'],
  ['亮', 'ryo'],
  ['香織', 'kaori'],
  ['隆', 'takashi'],
];
// Variant kanji people write for the same family name.
const JP_VARIANTS: Record<string, string[]> = {
  高橋: ['髙橋'],
  山崎: ['山﨑', '山嵜'],
  渡辺: ['渡邊', '渡邉'],
  斎藤: ['齋藤'],
  浜田: ['濱田'],
  長澤: ['長沢'],
  宮崎: ['宮﨑'],
  桜井: ['櫻井'],
};
const JP_COMPANIES: [string, string][] = [
  ['ソニック', 'sonic'],
  ['みらい商事', 'mirai'],
  ['東和電機', 'towa'],
  ['大和システム', 'yamato'],
  ['さくら物産', 'sakura'],
  ['光栄工業', 'koei'],
  ['日進テック', 'nisshin'],
  ['北斗製作所', 'hokuto'],
  ['青葉ソリューションズ', 'aoba'],
  ['富士見精機', 'fujimi'],
  ['朝日ロジスティクス', 'asahi'],
  ['若葉化学', 'wakaba'],
];

const KR_FAMILY: [string, string][] = [
  ['김', 'kim'],
  ['이', 'lee'],
  ['박', 'park'],
  ['최', 'choi'],
  ['정', 'jung'],
  ['강', 'kang'],
  ['조', 'cho'],
  ['윤', 'yoon'],
  ['장', 'jang'],
  ['임', 'lim'],
  ['한', 'han'],
  ['오', 'oh'],
  ['서', 'seo'],
  ['신', 'shin'],
];
const KR_GIVEN: [string, string][] = [
  ['재원', 'jaewon'],
  ['민준', 'minjun'],
  ['서연', 'seoyeon'],
  ['지훈', 'jihoon'],
  ['수빈', 'subin'],
  ['예은', 'yeeun'],
  ['현우', 'hyunwoo'],
  ['지민', 'jimin'],
  ['도윤', 'doyoon'],
  ['하은', 'haeun'],
  ['성민', 'sungmin'],
  ['유진', 'yujin'],
  ['동현', 'donghyun'],
  ['은지', 'eunji'],
  ['태양', 'taeyang'],
  ['소영', 'soyoung'],
];
const KR_COMPANIES: [string, string][] = [
  ['한빛전자', 'hanbit'],
  ['대성산업', 'daesung'],
  ['미래테크', 'miraetech'],
  ['세진물산', 'sejin'],
  ['푸른소프트', 'pureun'],
  ['동양정밀', 'dongyang'],
  ['새한무역', 'saehan'],
  ['나래시스템', 'narae'],
  ['금강기계', 'geumgang'],
  ['하나로직스', 'hanalogix'],
  ['청솔바이오', 'chungsol'],
  ['우리네트웍스', 'woori'],
];

const VN_FAMILY: [string, string][] = [
  ['Nguyễn', 'nguyen'],
  ['Trần', 'tran'],
  ['Lê', 'le'],
  ['Phạm', 'pham'],
  ['Hoàng', 'hoang'],
  ['Huỳnh', 'huynh'],
  ['Phan', 'phan'],
  ['Vũ', 'vu'],
  ['Võ', 'vo'],
  ['Đặng', 'dang'],
  ['Bùi', 'bui'],
  ['Đỗ', 'do'],
  ['Ngô', 'ngo'],
  ['Dương', 'duong'],
];
// Given names with a middle name; the pairs differ only in their marks (different names in Vietnamese).
const VN_GIVEN: [string, string][] = [
  ['Đức Hùng', 'hung'],
  ['Ngọc Nhung', 'nhung'],
  ['Văn Hưng', 'hung'],
  ['Thị Lan', 'lan'],
  ['Minh Tuấn', 'tuan'],
  ['Thanh Thủy', 'thuy'],
  ['Quốc Dũng', 'dung'],
  ['Thị Hà', 'ha'],
  ['Hữu Phước', 'phuoc'],
  ['Thị Mai', 'mai'],
  ['Văn Tâm', 'tam'],
  ['Ngọc Ánh', 'anh'],
  ['Đức Thắng', 'thang'],
  ['Thị Phương', 'phuong'],
  ['Minh Khôi', 'khoi'],
  ['Thu Trang', 'trang'],
];
const VN_TONE_TWINS: Record<string, string> = {
  Hùng: 'Hưng',
  Hưng: 'Hùng',
  Nhung: 'Nhưng',
  Lan: 'Lân',
  Tuấn: 'Tuân',
  Thủy: 'Thúy',
  Dũng: 'Dung',
  Hà: 'Hạ',
  Phước: 'Phúc',
  Mai: 'Mãi',
  Tâm: 'Tám',
  Ánh: 'Anh',
  Thắng: 'Thăng',
  Phương: 'Phượng',
  Khôi: 'Khối',
  Trang: 'Tráng',
};
const VN_COMPANIES: [string, string][] = [
  ['Sao Việt', 'saoviet'],
  ['Hưng Thịnh', 'hungthinh'],
  ['Phú Gia', 'phugia'],
  ['Thành Công', 'thanhcong'],
  ['Ánh Dương', 'anhduong'],
  ['Minh Phát', 'minhphat'],
  ['Đại Nam', 'dainam'],
  ['Tân Tiến', 'tantien'],
  ['Hoà Bình', 'hoabinh'],
  ['An Khang', 'ankhang'],
  ['Bảo Long', 'baolong'],
  ['Việt Tín', 'viettin'],
];

const DE_FAMILY: [string, string][] = [
  ['Müller', 'mueller'],
  ['Weiß', 'weiss'],
  ['Schröder', 'schroeder'],
  ['Groß', 'gross'],
  ['Schäfer', 'schaefer'],
  ['Köhler', 'koehler'],
  ['Böhm', 'boehm'],
  ['Krüger', 'krueger'],
  ['Schmidt', 'schmidt'],
  ['Strauß', 'strauss'],
  ['Wagner', 'wagner'],
  ['Jäger', 'jaeger'],
  ['Fuchs', 'fuchs'],
  ['Hübner', 'huebner'],
  ['Vogel', 'vogel'],
  ['Löffler', 'loeffler'],
  ['Becker', 'becker'],
  ['Günther', 'guenther'],
];
const DE_GIVEN: [string, string][] = [
  ['Günter', 'guenter'],
  ['Jürgen', 'juergen'],
  ['Anna', 'anna'],
  ['Jörg', 'joerg'],
  ['Lena', 'lena'],
  ['Björn', 'bjoern'],
  ['Maria', 'maria'],
  ['Sören', 'soeren'],
  ['Klaus', 'klaus'],
  ['Käthe', 'kaethe'],
  ['Lukas', 'lukas'],
  ['Özlem', 'oezlem'],
  ['Hans', 'hans'],
  ['Märta', 'maerta'],
  ['Jens', 'jens'],
  ['Ute', 'ute'],
];
const DE_COMPANIES: [string, string][] = [
  ['Siemens Antriebstechnik', 'siemens-at'],
  ['Brückner Maschinenbau', 'brueckner'],
  ['Weißenfels Logistik', 'weissenfels'],
  ['Kögel Bau', 'koegel'],
  ['Alpenland Versicherung', 'alpenland'],
  ['Rheinmetall Systeme', 'rheinsys'],
  ['Müller & Söhne', 'muellersoehne'],
  ['Nordlicht Energie', 'nordlicht'],
  ['Bergmann Präzision', 'bergmann'],
  ['Zürcher Handel', 'zuercher'],
  ['Edelweiß Pharma', 'edelweiss'],
  ['Hanse Spedition', 'hanse'],
];

const EN_FAMILY: [string, string][] = [
  ["O'Brien", 'obrien'],
  ['Smith', 'smith'],
  ['MacDonald', 'macdonald'],
  ['Johnson', 'johnson'],
  ["O'Connor", 'oconnor'],
  ['Williams', 'williams'],
  ['Taylor', 'taylor'],
  ['Brown', 'brown'],
  ['McAllister', 'mcallister'],
  ['Davies', 'davies'],
  ['Thompson', 'thompson'],
  ['Clarke', 'clarke'],
  ['Fitzgerald', 'fitzgerald'],
  ['Robinson', 'robinson'],
  ['Walker', 'walker'],
  ['Hughes', 'hughes'],
];
const EN_GIVEN: [string, string][] = [
  ['Matthew', 'matthew'],
  ['Sarah', 'sarah'],
  ['James', 'james'],
  ['Emily', 'emily'],
  ['Michael', 'michael'],
  ['Jessica', 'jessica'],
  ['Daniel', 'daniel'],
  ['Hannah', 'hannah'],
  ['Christopher', 'christopher'],
  ['Olivia', 'olivia'],
  ['Andrew', 'andrew'],
  ['Rachel', 'rachel'],
  ['Thomas', 'thomas'],
  ['Laura', 'laura'],
];
const EN_COMPANIES: [string, string][] = [
  ['Johnson & Sons', 'johnsonsons'],
  ['Blue Harbor Analytics', 'blueharbor'],
  ['Northwind Traders', 'northwind'],
  ['Pioneer Freight', 'pioneer'],
  ['Summit & Vale', 'summitvale'],
  ['Redwood Partners', 'redwood'],
  ['Granite Peak Software', 'granitepeak'],
  ['Silverline Health', 'silverline'],
  ['Oakmont Capital', 'oakmont'],
  ['Brightwater Labs', 'brightwater'],
  ['Harbor & Hill', 'harborhill'],
  ['Crescent Foods', 'crescent'],
];

const ES_FAMILY: [string, string][] = [
  ['García', 'garcia'],
  ['Martínez', 'martinez'],
  ['López', 'lopez'],
  ['Hernández', 'hernandez'],
  ['Pérez', 'perez'],
  ['Gómez', 'gomez'],
  ['Sánchez', 'sanchez'],
  ['Díaz', 'diaz'],
  ['Ramírez', 'ramirez'],
  ['Muñoz', 'munoz'],
  ['Peña', 'pena'],
  ['Ibáñez', 'ibanez'],
  ['Jiménez', 'jimenez'],
  ['Álvarez', 'alvarez'],
  ['Núñez', 'nunez'],
  ['Ortiz', 'ortiz'],
];
const ES_GIVEN: [string, string][] = [
  ['José', 'jose'],
  ['María', 'maria'],
  ['Jesús', 'jesus'],
  ['Sofía', 'sofia'],
  ['Andrés', 'andres'],
  ['Lucía', 'lucia'],
  ['Ramón', 'ramon'],
  ['Inés', 'ines'],
  ['Martín', 'martin'],
  ['Begoña', 'begona'],
  ['Iván', 'ivan'],
  ['Mónica', 'monica'],
  ['Tomás', 'tomas'],
  ['Raúl', 'raul'],
];
const ES_COMPANIES: [string, string][] = [
  ['Grupo Alianza', 'alianza'],
  ['Construcciones Ibéricas', 'ibericas'],
  ['Distribuidora del Norte', 'delnorte'],
  ['Tecnologías Andinas', 'andinas'],
  ['Logística Azteca', 'azteca'],
  ['Alimentos La Sierra', 'lasierra'],
  ['Seguros Atlántico', 'atlantico'],
  ['Textiles Cóndor', 'condor'],
  ['Farmacéutica Solar', 'solar'],
  ['Energía Pacífico', 'pacifico'],
  ['Café Montaña', 'montana'],
  ['Minera Cordillera', 'cordillera'],
];

function chineseMarket(
  country: CountryCode,
  team: string,
  traditional: boolean,
  mobile: string[],
  fixed: string[],
): Market {
  const write = (s: string) => (traditional ? toTraditional(s) : s);
  return {
    country,
    team,
    families: CN_FAMILY.map(([n, l]) => [write(n), l]),
    givens: CN_GIVEN.map(([n, l]) => [write(n), l]),
    familyFirst: true,
    joiner: '',
    companies: CN_COMPANIES.map(([n, l]) => [write(n), l]),
    registered: (core, r) => (traditional ? `${core}有限公司` : `${pick(r, CN_CITIES)}市${core}有限公司`),
    companyForms: (core, r) => {
      const flip = traditional ? toSimplified(core) : toTraditional(core);
      const city = write(pick(r, CN_CITIES));
      return [
        `${core}有限公司`,
        `${core}股份有限公司`,
        `${flip}有限公司`,
        `${core}有限公司${city}分公司`,
        `${core}（${city}）有限公司`,
        `${core} 有限公司 销售部`,
      ];
    },
    honorifics: (name, _given, _family, r) => [
      `${name}先生`,
      `${name}女士`,
      `${name} 经理`,
      `${name}（${pick(r, ['Emma', 'Leo', 'Kevin', 'Lily'])}）`,
      `${pick(r, ['Emma', 'Leo', 'Kevin', 'Lily'])} ${name}`,
      `${name}总`,
    ],
    spellings: (name) => [
      traditional ? toSimplified(name) : toTraditional(name),
      name.split('').join(' '),
      `${name} (Amy)`,
    ],
    mobile,
    fixed,
    extensions: ['转 {e}', '转{e}', '分机 {e}', '-{e}', ' ext. {e}', '分機{e}'],
  };
}

const MARKETS: Market[] = [
  chineseMarket('CN', 'cn', false, ['13', '15', '18'], ['010', '021', '0755']),
  chineseMarket('HK', 'cn', true, ['9', '6', '5'], ['2', '3']),
  chineseMarket('TW', 'cn', true, ['09'], ['02', '04']),
  {
    country: 'JP',
    team: 'jp',
    families: JP_FAMILY,
    givens: JP_GIVEN,
    familyFirst: true,
    joiner: '',
    companies: JP_COMPANIES,
    registered: (core) => `株式会社${core}`,
    companyForms: (core, r) => [
      `${core}株式会社`,
      `㈱${core}`,
      `(株)${core}`,
      `株式会社 ${core}`,
      `株式会社${core} ${pick(r, ['東京支社', '大阪支店', '名古屋営業所', '営業部'])}`,
    ],
    honorifics: (name, given, family) => [`${name}様`, `${name} 様`, `${name}さん`, `${family} ${given} 氏`],
    spellings: (_name, family, given) => [
      `${family} ${given}`,
      ...(JP_VARIANTS[family] ?? []).map((v) => `${v}${given}`),
      `${family}　${given}`,
    ],
    mobile: ['090', '080', '070'],
    fixed: ['03', '06'],
    extensions: ['内線 {e}', '（内線{e}）', '-{e}', ' ext.{e}', ' 内線{e}'],
  },
  {
    country: 'KR',
    team: 'kr',
    families: KR_FAMILY,
    givens: KR_GIVEN,
    familyFirst: true,
    joiner: '',
    companies: KR_COMPANIES,
    registered: (core) => `주식회사 ${core}`,
    companyForms: (core, r) => [
      `(주)${core}`,
      `㈜${core}`,
      `${core} 주식회사`,
      `${core}(주)`,
      `주식회사 ${core} ${pick(r, ['서울지점', '부산지사', '영업부'])}`,
    ],
    honorifics: (name, given, family) => [`${name} 님`, `${name}님`, `${name} 씨`, `${family}${given} 대표님`],
    spellings: (name, family, given) => [`${family} ${given}`, `${name} (${'Jay'})`],
    mobile: ['010'],
    fixed: ['02', '031', '051'],
    extensions: ['내선 {e}', ' 내선{e}', ' (내선 {e})', ' ext. {e}'],
  },
  {
    country: 'VN',
    team: 'vn',
    families: VN_FAMILY,
    givens: VN_GIVEN,
    familyFirst: true,
    joiner: ' ',
    companies: VN_COMPANIES,
    registered: (core) => `Công ty TNHH ${core}`,
    companyForms: (core, r) => [
      `CÔNG TY TNHH ${core.toUpperCase()}`,
      `${core} Co., Ltd.`,
      `Cty TNHH ${core}`,
      `Công ty TNHH ${core} - Chi nhánh ${pick(r, ['Hà Nội', 'Đà Nẵng', 'Cần Thơ'])}`,
      `TNHH ${core}`,
    ],
    honorifics: (name) => [`Anh ${name}`, `Chị ${name}`, `Ông ${name}`, `Bà ${name}`],
    // Typed without a Vietnamese keyboard: the marks gone (a question, since marks tell names apart).
    spellings: (name) => [
      name.toUpperCase(),
      name.normalize('NFD'),
      name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D'),
    ],
    mobile: ['09', '03', '08'],
    fixed: ['024', '028'],
    extensions: ['máy lẻ {e}', ' máy lẻ {e}', ' nhánh {e}', ' ext {e}', ' - máy lẻ {e}'],
  },
  ...(['DE', 'AT', 'CH'] as const).map(
    (country): Market => ({
      country,
      team: 'dach',
      families: DE_FAMILY,
      givens: DE_GIVEN,
      familyFirst: false,
      joiner: ' ',
      companies: DE_COMPANIES,
      registered: (core, r) => `${core} ${pick(r, ['GmbH', 'AG', 'GmbH & Co. KG'])}`,
      companyForms: (core, r) => [
        `${core} G.m.b.H.`,
        core,
        `${core.toUpperCase()} GMBH`,
        `${core} GmbH, Niederlassung ${pick(r, ['München', 'Wien', 'Zürich', 'Hamburg'])}`,
        `${core} AG - Vertrieb`,
        `${core} GmbH & Co. KG`,
      ],
      honorifics: (name, given, family) => [
        `Herr ${name}`,
        `Frau ${name}`,
        `Dr. ${name}`,
        `Prof. Dr. ${name}`,
        `${family}, ${given}`,
        `Dipl.-Ing. ${name}`,
      ],
      spellings: (name) => [
        name
          .replace(/ä/g, 'ae')
          .replace(/ö/g, 'oe')
          .replace(/ü/g, 'ue')
          .replace(/ß/g, 'ss')
          .replace(/Ö/g, 'Oe')
          .replace(/Ä/g, 'Ae')
          .replace(/Ü/g, 'Ue'),
        name.toUpperCase(),
        name.replace(/ß/g, 'ss'),
      ],
      mobile:
        country === 'DE'
          ? ['0151', '0160', '0171', '0176']
          : country === 'AT'
            ? ['0664', '0676', '0699']
            : ['079', '078', '076'],
      fixed: country === 'DE' ? ['069', '030', '089'] : country === 'AT' ? ['01', '0316'] : ['044', '031'],
      extensions: [' Durchwahl {e}', ' DW {e}', ' ext. {e}', ' Nebenstelle {e}', ' x{e}'],
    }),
  ),
  ...(['US', 'GB'] as const).map(
    (country): Market => ({
      country,
      team: 'en',
      families: EN_FAMILY,
      givens: EN_GIVEN,
      familyFirst: false,
      joiner: ' ',
      companies: EN_COMPANIES,
      registered: (core, r) =>
        `${core} ${pick(r, country === 'US' ? ['Inc.', 'LLC', 'Corp.'] : ['Ltd', 'Limited', 'PLC'])}`,
      companyForms: (core, r) => [
        `The ${core} Company`,
        core.replace(' & ', ' and '),
        `${core.replace(' & ', ' and ')} ${country === 'US' ? 'Inc' : 'Limited'}`,
        `${core}, ${country === 'US' ? 'Inc.' : 'Ltd.'} - ${pick(r, ['New York Office', 'London Branch', 'Sales Department', 'EMEA Division'])}`,
        core.toUpperCase(),
      ],
      honorifics: (name, given, family) => [
        `Mr. ${name}`,
        `Ms ${name}`,
        `Dr ${name}`,
        `${name}, PhD`,
        `${name} Jr.`,
        `${family.toUpperCase()}, ${given}`,
        `${name} MBA`,
      ],
      spellings: (name, family, given) => [
        `${family}, ${given}`,
        name.toLowerCase(),
        name.replace(/'/g, '’'),
        name.replace(/'/g, ''),
      ],
      mobile: country === 'US' ? ['212', '415', '646', '312'] : ['074', '075', '077', '078'],
      fixed: country === 'US' ? ['212', '617', '206'] : ['020', '0161', '0131'],
      extensions: [' ext. {e}', ' x{e}', ' #{e}', ', ext {e}', ' extension {e}'],
    }),
  ),
  ...(['ES', 'MX', 'CO'] as const).map(
    (country): Market => ({
      country,
      team: 'es',
      families: ES_FAMILY,
      givens: ES_GIVEN,
      familyFirst: false,
      joiner: ' ',
      companies: ES_COMPANIES,
      registered: (core, r) =>
        `${core} ${pick(r, country === 'MX' ? ['S.A. de C.V.', 'S. de R.L. de C.V.'] : ['S.A.', 'S.L.', 'S.A.S.'])}`,
      companyForms: (core, r) => [
        core,
        `${core} SA de CV`,
        `${core} S.A.`,
        `${core} S.L., Sucursal ${pick(r, ['Madrid', 'Monterrey', 'Medellín'])}`,
        `${core.toUpperCase()}`,
        `${core} - Departamento Comercial`,
      ],
      honorifics: (name) => [
        `Sr. ${name}`,
        `Sra. ${name}`,
        `Lic. ${name}`,
        `Ing. ${name}`,
        `Dra. ${name}`,
        `Don ${name}`,
      ],
      spellings: (name) => [name.normalize('NFD').replace(/\p{M}/gu, ''), name.toUpperCase(), name.toLowerCase()],
      mobile: country === 'ES' ? ['6', '7'] : country === 'MX' ? ['55', '33', '81'] : ['300', '310', '320'],
      fixed: country === 'ES' ? ['91', '93'] : country === 'MX' ? ['55', '33'] : ['601', '604'],
      extensions: [' ext. {e}', ' anexo {e}', ' int. {e}', ' extensión {e}', ' x{e}'],
    }),
  ),
];

/** The teams the world's people are leads of: one per market group, reading national numbers at home. */
export const WORLD_TEAMS = `teams:
${[
  ['cn', 'Asia/Shanghai', 'CN', '[HK, TW]'],
  ['jp', 'Asia/Tokyo', 'JP', '[]'],
  ['kr', 'Asia/Seoul', 'KR', '[]'],
  ['vn', 'Asia/Ho_Chi_Minh', 'VN', '[]'],
  ['dach', 'Europe/Berlin', 'DE', '[AT, CH]'],
  ['en', 'America/New_York', 'US', '[GB]'],
  ['es', 'Europe/Madrid', 'ES', '[MX, CO]'],
]
  .map(
    ([id, tz, region, also]) => `  - id: ${id}
    name: ${id}
    timezone: ${tz}
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    cardBurst: off
    intake: { defaultRegion: ${region}, alsoRegions: ${also} }`,
  )
  .join('\n')}
`;

export interface Line {
  national: string;
  international: string;
}

export interface WorldPerson {
  id: number;
  half: Half;
  market: Market;
  family: string;
  given: string;
  name: string;
  companyCore: string;
  company: string;
  /** Who this is, script aside: the team, the name and the company (see `world`). */
  identity: string;
  email: string;
  mobile: Line;
  /** The office switchboard (shared by colleagues) and this person's extension. */
  office: Line;
  ext: string;
  /** A home landline, shared with the family. */
  home: Line;
  /** Which number the person first gave. */
  gave: 'mobile' | 'office' | 'home';
}

function number(r: Random, country: CountryCode, prefixes: string[], want: 'mobile' | 'fixed'): Line {
  for (let attempt = 0; attempt < 400; attempt++) {
    const prefix = pick(r, prefixes);
    const national = `${prefix}${digits(r, Math.max(4, 8 + Math.floor(r() * 5) - prefix.length))}`;
    const parsed = parsePhoneNumberFromString(national, country);
    if (!parsed?.isValid()) continue;
    const type = parsed.getType();
    const ok =
      want === 'mobile'
        ? type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE'
        : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE';
    if (!ok || parsed.country !== country) continue;
    return { national: parsed.formatNational(), international: parsed.formatInternational() };
  }
  throw new Error(`no valid ${want} number found for ${country} (${prefixes.join(', ')})`);
}

const halfOf = <T>(list: readonly T[], half: Half) => list.filter((_, i) => i % 2 === (half === 'dev' ? 0 : 1));

/**
 * `perMarket` people of each of the fourteen markets, in one half. Colleagues share a company and
 * its switchboard; each person has a mobile, an extension and a home line, and gave one of them.
 */
export function world(half: Half, perMarket: number, r: Random): WorldPerson[] {
  const out: WorldPerson[] = [];
  const taken = new Set<string>();
  for (const market of MARKETS) {
    const families = halfOf(market.families, half);
    const givens = halfOf(market.givens, half);
    const companies = halfOf(market.companies, half).map(([core, latin]) => ({
      core,
      latin,
      name: market.registered(core, r),
      office: number(r, market.country, market.fixed, 'fixed'),
    }));
    for (let made = 0, tries = 0; made < perMarket && tries < perMarket * 50; tries++) {
      const [family, familyLatin] = pick(r, families);
      const [given, givenLatin] = pick(r, givens);
      const company = pick(r, companies);
      // One person per name and company in a team: 刘宇航 of Shenzhen and 劉宇航 of Hong Kong at 鼎盛制造 are one.
      const who = market.joiner === '' ? `${familyLatin}|${givenLatin}` : `${family}|${given}`;
      const id = `${market.team}|${who}|${company.latin}`;
      if (taken.has(id)) continue;
      taken.add(id);
      made++;
      const name = market.familyFirst ? `${family}${market.joiner}${given}` : `${given}${market.joiner}${family}`;
      const roll = r();
      out.push({
        id: out.length,
        half,
        market,
        family,
        given,
        name,
        companyCore: company.core,
        company: company.name,
        identity: id,
        email: `${givenLatin}.${familyLatin}${out.length}@${company.latin}.example.${market.country.toLowerCase()}`,
        mobile: number(r, market.country, market.mobile, 'mobile'),
        office: company.office,
        ext: String(100 + Math.floor(r() * 9000)),
        home: number(r, market.country, market.fixed, 'fixed'),
        gave: roll < 0.6 ? 'mobile' : roll < 0.85 ? 'office' : 'home',
      });
    }
  }
  return out;
}

export const teamOf = (p: WorldPerson) => p.market.team;
/** The region a team reads national numbers in: a person of it writes their numbers nationally. */
const HOME: Record<string, CountryCode[]> = {
  cn: ['CN', 'HK', 'TW'],
  jp: ['JP'],
  kr: ['KR'],
  vn: ['VN'],
  dach: ['DE', 'AT', 'CH'],
  en: ['US', 'GB'],
  es: ['ES', 'MX', 'CO'],
};
const writes = (p: WorldPerson, line: Line, r: Random) =>
  HOME[p.market.team]?.includes(p.market.country) && r() < 0.6 ? line.national : line.international;

/** The number a person gave as they would type it, with their extension when it is the office line. */
export function phoneOf(p: WorldPerson, which: WorldPerson['gave'], r: Random, ext = p.ext): string {
  if (which === 'mobile') return writes(p, p.mobile, r);
  if (which === 'home') return writes(p, p.home, r);
  return `${writes(p, p.office, r)}${pick(r, p.market.extensions).replace('{e}', ext)}`;
}

export type Raw = Record<string, unknown> & { team: string; name: string };

/** The lead a person first came in as. */
export function original(p: WorldPerson, r: Random): Raw {
  return { team: teamOf(p), name: p.name, company: p.company, email: p.email, phone: phoneOf(p, p.gave, r) };
}

const ZW = ['\u200b', '\u200c', '\ufeff', '\u2060'];
const withInvisible = (text: string, r: Random) => {
  const at = 1 + Math.floor(r() * (text.length - 1));
  return `${text.slice(0, at)}${pick(r, ZW)}${text.slice(at)}`;
};
const fullWidth = (text: string) => text.replace(/[0-9+-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function emailForm(p: WorldPerson, r: Random): string {
  return pick(r, [
    p.email.toUpperCase(),
    `"${p.name}" <${p.email}>`,
    `${p.name} <${p.email}>`,
    `mailto:${p.email}`,
    withInvisible(p.email, r),
    ` ${p.email}. `,
    `<${p.email}>`,
  ]);
}

function numberForm(p: WorldPerson, which: 'mobile' | 'home', r: Random): string {
  const line = which === 'mobile' ? p.mobile : p.home;
  const plain = pick(r, [line.national, line.international]);
  return pick(r, [
    plain,
    plain.replace(/\s/g, '-'),
    plain.replace(/\s/g, ''),
    withInvisible(plain, r),
    ['CN', 'HK', 'TW', 'JP', 'KR'].includes(p.market.country) ? fullWidth(plain) : plain.replace(/\s/g, '.'),
    HOME[p.market.team]?.includes(p.market.country) ? line.international.replace('+', '00') : plain,
  ]);
}

/** A name as the person (or a colleague of theirs) writes it another time. */
export function nameForm(p: WorldPerson, r: Random): string {
  const m = p.market;
  return pick(r, [...m.honorifics(p.name, p.given, p.family, r), ...m.spellings(p.name, p.family, p.given)]);
}
const companyForm = (p: WorldPerson, r: Random) => pick(r, p.market.companyForms(p.companyCore, r));

export interface Variant {
  person: WorldPerson;
  raw: Raw;
}

/** The ways a person comes in again that a careful person expects to be recognised, by class. */
export function variantClasses(people: readonly WorldPerson[], r: Random): [string, Variant[]][] {
  const v = (f: (p: WorldPerson) => Omit<Raw, 'team'>) =>
    people.map((p) => ({ person: p, raw: { team: teamOf(p), ...f(p) } as Raw }));
  const gave = (which: WorldPerson['gave'], f: (p: WorldPerson) => Omit<Raw, 'team'>) =>
    people.filter((p) => p.gave === which).map((p) => ({ person: p, raw: { team: teamOf(p), ...f(p) } as Raw }));
  return [
    [
      'e-mail as pasted (display name, mailto, case, invisible marks)',
      v((p) => ({ name: nameForm(p, r), email: emailForm(p, r) })),
    ],
    [
      'mobile in another format',
      gave('mobile', (p) => ({ name: pick(r, [p.name, nameForm(p, r)]), phone: numberForm(p, 'mobile', r) })),
    ],
    [
      'office line, same extension, another notation',
      gave('office', (p) => ({ name: pick(r, [p.name, nameForm(p, r)]), phone: phoneOf(p, 'office', r) })),
    ],
    [
      'home line in another format',
      gave('home', (p) => ({ name: pick(r, [p.name, nameForm(p, r)]), phone: numberForm(p, 'home', r) })),
    ],
    [
      'name with honorific, title or alias, same company',
      v((p) => ({ name: pick(r, p.market.honorifics(p.name, p.given, p.family, r)), company: p.company })),
    ],
    [
      'name spelled another way, same company',
      v((p) => ({ name: pick(r, p.market.spellings(p.name, p.family, p.given)), company: p.company })),
    ],
    [
      'company written another way (legal form, branch, &, script)',
      v((p) => ({ name: p.name, company: companyForm(p, r) })),
    ],
    ['name and company both another way', v((p) => ({ name: nameForm(p, r), company: companyForm(p, r) }))],
  ];
}

/** Different people who look like someone stored: none of them may be merged into that person. */
export function nearMisses(people: readonly WorldPerson[], r: Random): [string, Variant[]][] {
  const byCompany = new Map<string, WorldPerson[]>();
  for (const p of people)
    byCompany.set(`${p.market.country}|${p.companyCore}`, [
      ...(byCompany.get(`${p.market.country}|${p.companyCore}`) ?? []),
      p,
    ]);
  const identities = new Set(people.map((p) => p.identity));
  const latinOf = (p: WorldPerson, given: string) => p.market.givens.find(([g]) => g === given)?.[1] ?? given;
  const familyLatin = (p: WorldPerson) => p.market.families.find(([f]) => f === p.family)?.[1] ?? p.family;
  const identityOf = (p: WorldPerson, given: string, companyLatin: string) =>
    `${p.market.team}|${p.market.joiner === '' ? `${familyLatin(p)}|${latinOf(p, given)}` : `${p.family}|${given}`}|${companyLatin}`;
  const companyLatinOf = (p: WorldPerson) => p.identity.slice(p.identity.lastIndexOf('|') + 1);
  /** A given name that makes, with the person's family name, nobody stored at that company. */
  const otherGiven = (p: WorldPerson, companyLatin = companyLatinOf(p)) => {
    const givens = halfOf(p.market.givens, p.half)
      .map(([g]) => g)
      .filter((g) => g !== p.given && !identities.has(identityOf(p, g, companyLatin)));
    return givens.length > 0 ? pick(r, givens) : null;
  };
  const nameWith = (p: WorldPerson, given: string) =>
    p.market.familyFirst ? `${p.family}${p.market.joiner}${given}` : `${given}${p.market.joiner}${p.family}`;
  const contacts = (p: WorldPerson, tag: string) => ({ email: `${tag}.${p.id}@elsewhere.example` });
  const office = people.filter((p) => p.gave === 'office');
  const home = people.filter((p) => p.gave === 'home');
  const vietnamese = people.filter((p) => p.market.country === 'VN');
  return [
    [
      'a relative on the same home landline',
      home.flatMap((p) => {
        const given = otherGiven(p);
        if (!given) return [];
        return [
          {
            person: p,
            raw: { team: teamOf(p), name: nameWith(p, given), phone: phoneOf(p, 'home', r), ...contacts(p, 'rel') },
          },
        ];
      }),
    ],
    [
      'a colleague on the same switchboard, another extension',
      office.flatMap((p) => {
        const given = otherGiven(p);
        if (!given) return [];
        return [
          {
            person: p,
            raw: {
              team: teamOf(p),
              name: nameWith(p, given),
              company: p.company,
              phone: phoneOf(p, 'office', r, String(Number(p.ext) + 1)),
              ...contacts(p, 'col'),
            },
          },
        ];
      }),
    ],
    [
      'a namesake differing only in tone marks (Vietnamese), same company',
      vietnamese.flatMap((p) => {
        const twin = p.name
          .split(' ')
          .map((w) => VN_TONE_TWINS[w] ?? w)
          .join(' ');
        return twin === p.name
          ? []
          : [{ person: p, raw: { team: teamOf(p), name: twin, company: p.company, ...contacts(p, 'twin') } }];
      }),
    ],
    [
      'another person of the same family name at the same company',
      people.flatMap((p) => {
        const given = otherGiven(p);
        if (!given) return [];
        return [
          {
            person: p,
            raw: { team: teamOf(p), name: nameWith(p, given), company: p.company, ...contacts(p, 'fam') },
          },
        ];
      }),
    ],
    [
      'the same name at another company',
      people.flatMap((p) => {
        const others = [...byCompany.keys()].filter(
          (k) => k.startsWith(`${p.market.country}|`) && k !== `${p.market.country}|${p.companyCore}`,
        );
        if (others.length === 0) return [];
        const other = byCompany.get(pick(r, others))?.[0];
        // Not a namesake who is stored at that company already (then it would be that person).
        if (!other || identities.has(identityOf(p, p.given, companyLatinOf(other)))) return [];
        return [{ person: p, raw: { team: teamOf(p), name: p.name, company: other.company, ...contacts(p, 'same') } }];
      }),
    ],
  ];
}

/** Drops near-misses that are some stored person after all (the generator drew a real person's name and company). */
export function isSomeone(raw: Raw, people: readonly WorldPerson[]): boolean {
  return people.some(
    (p) =>
      p.market.team === raw.team && p.name === raw.name && (raw.company === undefined || p.company === raw.company),
  );
}
